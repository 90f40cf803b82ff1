// What the CPU this runs on can do, asked once; the kernels pick their instruction set by it, so
// one build runs on any x86-64 (and elsewhere, on the portable code).
#pragma once

namespace mmae {

inline bool cpuHasAvx512() {
#if defined(__x86_64__) || defined(_M_X64)
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") != 0;
  }();
  return yes;
#else
  return false;
#endif
}

inline bool cpuHasAvx2Fma() {
#if defined(__x86_64__) || defined(_M_X64)
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0 && __builtin_cpu_supports("fma") != 0;
  }();
  return yes;
#else
  return false;
#endif
}

}  // namespace mmae
