// N-API entry points of mmae's native kernels. They work in place on an ArrayBuffer the caller
// passes (tfjs-backend-wasm's heap), addressed by byte offsets, so no tensor is copied. Every
// offset and extent is checked against the buffer before any memory is touched.
#include <node_api.h>

#include <cstdint>
#include <string>

#if defined(__x86_64__) || defined(_M_X64)
#include <xmmintrin.h>
#endif

#include "adam.h"
#include "bernoulli-nll.h"
#include "dense-grad.h"
#include "gemm.h"
#include "token-nll.h"

namespace {

// Denormal floats cost ~100 cycles per operation on x86. Training produces them (tiny gradients
// squared into Adam's second moment, saturated activations), and one W1 epoch slowed to half
// speed as they spread; TensorFlow runs its CPU kernels with flush-to-zero for the same reason.
// Set for the duration of each call, then the caller's mode is restored.
class FlushDenormals {
 public:
#if defined(__x86_64__) || defined(_M_X64)
  FlushDenormals() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | kFlushToZero | kDenormalsAreZero); }
  ~FlushDenormals() { _mm_setcsr(saved_); }

 private:
  static constexpr unsigned kFlushToZero = 0x8000, kDenormalsAreZero = 0x0040;
  unsigned saved_;
#endif
};

constexpr size_t kMatMulArgs = 16;

bool throwRange(napi_env env, const std::string& message) {
  napi_throw_range_error(env, nullptr, ("mmae native kernel: " + message).c_str());
  return false;
}

// True when [offset, offset + floats·4) lies inside the buffer and is float-aligned.
bool inside(napi_env env, const char* what, int64_t offset, int64_t floats, size_t length) {
  if (offset < 0 || offset % 4 != 0 || floats < 0 ||
      static_cast<uint64_t>(offset) + static_cast<uint64_t>(floats) * 4 > length) {
    return throwRange(env, std::string(what) + " at byte " + std::to_string(offset) + " with " +
                               std::to_string(floats) + " floats lies outside the " +
                               std::to_string(length) + "-byte heap");
  }
  return true;
}

// matMul(heap, a, b, c, bias, biasSize, batch, batchA, batchB, m, n, k, transposeA, transposeB,
//        activation, leakyAlpha): offsets in bytes; bias −1 for none.
napi_value MatMul(napi_env env, napi_callback_info info) {
  size_t argc = kMatMulArgs;
  napi_value argv[kMatMulArgs];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != kMatMulArgs) {
    throwRange(env, "expected 16 arguments, got " + std::to_string(argc));
    return nullptr;
  }
  void* data = nullptr;
  size_t length = 0;
  bool isBuffer = false;
  napi_is_arraybuffer(env, argv[0], &isBuffer);
  if (!isBuffer || napi_get_arraybuffer_info(env, argv[0], &data, &length) != napi_ok) {
    throwRange(env, "the first argument must be the wasm heap's ArrayBuffer");
    return nullptr;
  }
  int64_t v[14];
  for (size_t i = 0; i < 14; ++i) {
    if (napi_get_value_int64(env, argv[i + 1], &v[i]) != napi_ok) {
      throwRange(env, "argument " + std::to_string(i + 1) + " must be a number");
      return nullptr;
    }
  }
  double alpha = 0;
  napi_get_value_double(env, argv[15], &alpha);
  const int64_t a = v[0], b = v[1], c = v[2], bias = v[3], biasSize = v[4], batch = v[5];
  const int64_t batchA = v[6], batchB = v[7], m = v[8], n = v[9], k = v[10], tA = v[11];
  const int64_t tB = v[12], act = v[13];
  if (m < 0 || n < 0 || k < 0 || batch < 1 || (batchA != 1 && batchA != batch) ||
      (batchB != 1 && batchB != batch) || act < 0 || act > 5 || (bias >= 0 && biasSize < 1)) {
    throwRange(env, "bad shape: batch " + std::to_string(batch) + " (a " + std::to_string(batchA) +
                        ", b " + std::to_string(batchB) + "), m " + std::to_string(m) + ", n " +
                        std::to_string(n) + ", k " + std::to_string(k) + ", activation " +
                        std::to_string(act));
    return nullptr;
  }
  if (!inside(env, "a", a, batchA * m * k, length) || !inside(env, "b", b, batchB * k * n, length) ||
      !inside(env, "c", c, batch * m * n, length) ||
      (bias >= 0 && !inside(env, "bias", bias, biasSize, length))) {
    return nullptr;
  }
  char* heap = static_cast<char*>(data);
  mmae::GemmArgs args{reinterpret_cast<const float*>(heap + a),
                      reinterpret_cast<const float*>(heap + b),
                      reinterpret_cast<float*>(heap + c),
                      bias >= 0 ? reinterpret_cast<const float*>(heap + bias) : nullptr,
                      biasSize, batch, batchA, batchB, m, n, k, tA != 0, tB != 0,
                      static_cast<mmae::Activation>(act), static_cast<float>(alpha)};
  FlushDenormals flush;
  mmae::gemm(args);
  return nullptr;
}

constexpr size_t kAdamArgs = 17;

// adam(heap, x, m, v, g, xOut, mOut, vOut, n, beta1, beta2, 1−beta1, 1−beta2, correction1,
//      correction2, epsilon, −learningRate): offsets in bytes, n floats each.
napi_value Adam(napi_env env, napi_callback_info info) {
  size_t argc = kAdamArgs;
  napi_value argv[kAdamArgs];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void* data = nullptr;
  size_t length = 0;
  bool isBuffer = false;
  if (argc == kAdamArgs) napi_is_arraybuffer(env, argv[0], &isBuffer);
  if (!isBuffer || napi_get_arraybuffer_info(env, argv[0], &data, &length) != napi_ok) {
    napi_throw_range_error(env, nullptr,
                           "mmae native adam: expected the wasm heap's ArrayBuffer and 16 numbers");
    return nullptr;
  }
  int64_t offsets[8];
  for (size_t i = 0; i < 8; ++i) napi_get_value_int64(env, argv[i + 1], &offsets[i]);
  double constants[8];
  for (size_t i = 0; i < 8; ++i) napi_get_value_double(env, argv[i + 9], &constants[i]);
  const int64_t n = offsets[7];
  const char* names[] = {"x", "m", "v", "g", "xOut", "mOut", "vOut"};
  for (size_t i = 0; i < 7; ++i) {
    if (!inside(env, names[i], offsets[i], n, length)) return nullptr;
  }
  char* heap = static_cast<char*>(data);
  auto at = [heap](int64_t offset) { return reinterpret_cast<float*>(heap + offset); };
  mmae::AdamConstants c{};
  float* fields[] = {&c.beta1,       &c.beta2,       &c.oneMinusBeta1, &c.oneMinusBeta2,
                     &c.correction1, &c.correction2, &c.epsilon,       &c.negativeRate};
  for (size_t i = 0; i < 8; ++i) *fields[i] = static_cast<float>(constants[i]);
  FlushDenormals flush;
  mmae::adamStep(at(offsets[0]), at(offsets[1]), at(offsets[2]), at(offsets[3]), at(offsets[4]),
                 at(offsets[5]), at(offsets[6]), n, c);
  return nullptr;
}

constexpr size_t kDenseGradArgs = 14;

// denseGrad(heap, x, w, y, dy, dx, dw, db, batch, in, out, activation, leakyAlpha,
//           inputGradient): offsets in bytes.
napi_value DenseGrad(napi_env env, napi_callback_info info) {
  size_t argc = kDenseGradArgs;
  napi_value argv[kDenseGradArgs];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void* data = nullptr;
  size_t length = 0;
  bool isBuffer = false;
  if (argc == kDenseGradArgs) napi_is_arraybuffer(env, argv[0], &isBuffer);
  if (!isBuffer || napi_get_arraybuffer_info(env, argv[0], &data, &length) != napi_ok) {
    throwRange(env, "denseGrad expects the wasm heap's ArrayBuffer, 12 numbers and a boolean");
    return nullptr;
  }
  int64_t v[11];
  for (size_t i = 0; i < 11; ++i) napi_get_value_int64(env, argv[i + 1], &v[i]);
  double alpha = 0;
  napi_get_value_double(env, argv[12], &alpha);
  bool inputGradient = true;
  napi_get_value_bool(env, argv[13], &inputGradient);
  int64_t batch = v[7], in = v[8], out = v[9], act = v[10];
  if (batch < 0 || in < 0 || out < 0 || act < 0 || act > 5) {
    throwRange(env, "denseGrad: bad shape or activation");
    return nullptr;
  }
  const char* names[] = {"x", "w", "y", "dy", "dx", "dw", "db"};
  const int64_t sizes[] = {batch * in, in * out, batch * out, batch * out, batch * in, in * out, out};
  for (size_t i = 0; i < 7; ++i) {
    if (!inside(env, names[i], v[i], sizes[i], length)) return nullptr;
  }
  char* heap = static_cast<char*>(data);
  auto at = [heap](int64_t offset) { return reinterpret_cast<float*>(heap + offset); };
  FlushDenormals flush;
  mmae::denseGrad({at(v[0]), at(v[1]), at(v[2]), at(v[3]), at(v[4]), at(v[5]), at(v[6]), batch, in,
                   out, static_cast<mmae::Activation>(act), static_cast<float>(alpha),
                   inputGradient});
  return nullptr;
}

// Reads the heap and `count` int64 arguments after it; false (with a JS error) when they are not.
bool heapAndIntegers(napi_env env, napi_callback_info info, size_t count, void** data,
                     size_t* length, int64_t* values) {
  size_t argc = 16;
  napi_value argv[16];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  bool isBuffer = false;
  if (argc == count + 1) napi_is_arraybuffer(env, argv[0], &isBuffer);
  if (!isBuffer || napi_get_arraybuffer_info(env, argv[0], data, length) != napi_ok) {
    return throwRange(env, "expected the wasm heap's ArrayBuffer and " + std::to_string(count) +
                               " numbers, got " + std::to_string(argc) + " arguments");
  }
  for (size_t i = 0; i < count; ++i) {
    if (napi_get_value_int64(env, argv[i + 1], &values[i]) != napi_ok) {
      return throwRange(env, "argument " + std::to_string(i + 1) + " must be a number");
    }
  }
  return true;
}

// bernoulliNll(heap, x, z, out, rows, cols): offsets in bytes.
napi_value BernoulliNll(napi_env env, napi_callback_info info) {
  void* data = nullptr;
  size_t length = 0;
  int64_t v[5];
  if (!heapAndIntegers(env, info, 5, &data, &length, v)) return nullptr;
  const int64_t rows = v[3], cols = v[4];
  if (rows < 0 || cols < 0) {
    throwRange(env, "bernoulliNll: negative shape");
    return nullptr;
  }
  if (!inside(env, "x", v[0], rows * cols, length) || !inside(env, "z", v[1], rows * cols, length) ||
      !inside(env, "out", v[2], rows, length)) {
    return nullptr;
  }
  char* heap = static_cast<char*>(data);
  auto at = [heap](int64_t offset) { return reinterpret_cast<float*>(heap + offset); };
  FlushDenormals flush;
  mmae::bernoulliNll(at(v[0]), at(v[1]), at(v[2]), rows, cols);
  return nullptr;
}

// bernoulliNllGrad(heap, x, z, dy, dx, dz, rows, cols): offsets in bytes.
napi_value BernoulliNllGrad(napi_env env, napi_callback_info info) {
  void* data = nullptr;
  size_t length = 0;
  int64_t v[7];
  if (!heapAndIntegers(env, info, 7, &data, &length, v)) return nullptr;
  const int64_t rows = v[5], cols = v[6];
  if (rows < 0 || cols < 0) {
    throwRange(env, "bernoulliNllGrad: negative shape");
    return nullptr;
  }
  const char* names[] = {"x", "z", "dy", "dx", "dz"};
  const int64_t sizes[] = {rows * cols, rows * cols, rows, rows * cols, rows * cols};
  for (size_t i = 0; i < 5; ++i) {
    if (!inside(env, names[i], v[i], sizes[i], length)) return nullptr;
  }
  char* heap = static_cast<char*>(data);
  auto at = [heap](int64_t offset) { return reinterpret_cast<float*>(heap + offset); };
  FlushDenormals flush;
  mmae::bernoulliNllGrad(at(v[0]), at(v[1]), at(v[2]), at(v[3]), at(v[4]), rows, cols);
  return nullptr;
}

// tokenNll(heap, logits, ids, out, rows, positions, vocab, pad): offsets in bytes.
napi_value TokenNll(napi_env env, napi_callback_info info) {
  void* data = nullptr;
  size_t length = 0;
  int64_t v[7];
  if (!heapAndIntegers(env, info, 7, &data, &length, v)) return nullptr;
  const mmae::TokenNllShape shape{v[3], v[4], v[5], static_cast<int32_t>(v[6])};
  if (shape.rows < 0 || shape.positions < 0 || shape.vocab < 0) {
    throwRange(env, "tokenNll: negative shape");
    return nullptr;
  }
  const int64_t tokens = shape.rows * shape.positions;
  if (!inside(env, "logits", v[0], tokens * shape.vocab, length) ||
      !inside(env, "ids", v[1], tokens, length) || !inside(env, "out", v[2], shape.rows, length)) {
    return nullptr;
  }
  char* heap = static_cast<char*>(data);
  FlushDenormals flush;
  mmae::tokenNll(reinterpret_cast<const float*>(heap + v[0]),
                 reinterpret_cast<const int32_t*>(heap + v[1]),
                 reinterpret_cast<float*>(heap + v[2]), shape);
  return nullptr;
}

// tokenNllGrad(heap, logits, ids, dy, dlogits, rows, positions, vocab, pad): offsets in bytes.
napi_value TokenNllGrad(napi_env env, napi_callback_info info) {
  void* data = nullptr;
  size_t length = 0;
  int64_t v[8];
  if (!heapAndIntegers(env, info, 8, &data, &length, v)) return nullptr;
  const mmae::TokenNllShape shape{v[4], v[5], v[6], static_cast<int32_t>(v[7])};
  if (shape.rows < 0 || shape.positions < 0 || shape.vocab < 0) {
    throwRange(env, "tokenNllGrad: negative shape");
    return nullptr;
  }
  const int64_t tokens = shape.rows * shape.positions;
  if (!inside(env, "logits", v[0], tokens * shape.vocab, length) ||
      !inside(env, "ids", v[1], tokens, length) || !inside(env, "dy", v[2], shape.rows, length) ||
      !inside(env, "dlogits", v[3], tokens * shape.vocab, length)) {
    return nullptr;
  }
  char* heap = static_cast<char*>(data);
  FlushDenormals flush;
  mmae::tokenNllGrad(reinterpret_cast<const float*>(heap + v[0]),
                     reinterpret_cast<const int32_t*>(heap + v[1]),
                     reinterpret_cast<const float*>(heap + v[2]),
                     reinterpret_cast<float*>(heap + v[3]), shape);
  return nullptr;
}

napi_value Isa(napi_env env, napi_callback_info) {
  napi_value name;
  napi_create_string_utf8(env, mmae::gemmIsa(), NAPI_AUTO_LENGTH, &name);
  return name;
}

}  // namespace

NAPI_MODULE_INIT() {
  napi_value matMul, adam, isa;
  napi_create_function(env, "matMul", NAPI_AUTO_LENGTH, MatMul, nullptr, &matMul);
  napi_create_function(env, "adam", NAPI_AUTO_LENGTH, Adam, nullptr, &adam);
  napi_set_named_property(env, exports, "adam", adam);
  napi_value denseGrad;
  napi_create_function(env, "denseGrad", NAPI_AUTO_LENGTH, DenseGrad, nullptr, &denseGrad);
  napi_set_named_property(env, exports, "denseGrad", denseGrad);
  napi_value nll, nllGrad;
  napi_create_function(env, "bernoulliNll", NAPI_AUTO_LENGTH, BernoulliNll, nullptr, &nll);
  napi_create_function(env, "bernoulliNllGrad", NAPI_AUTO_LENGTH, BernoulliNllGrad, nullptr,
                       &nllGrad);
  napi_set_named_property(env, exports, "bernoulliNll", nll);
  napi_set_named_property(env, exports, "bernoulliNllGrad", nllGrad);
  napi_value tokenNll, tokenNllGrad;
  napi_create_function(env, "tokenNll", NAPI_AUTO_LENGTH, TokenNll, nullptr, &tokenNll);
  napi_create_function(env, "tokenNllGrad", NAPI_AUTO_LENGTH, TokenNllGrad, nullptr, &tokenNllGrad);
  napi_set_named_property(env, exports, "tokenNll", tokenNll);
  napi_set_named_property(env, exports, "tokenNllGrad", tokenNllGrad);
  napi_create_function(env, "isa", NAPI_AUTO_LENGTH, Isa, nullptr, &isa);
  napi_set_named_property(env, exports, "matMul", matMul);
  napi_set_named_property(env, exports, "isa", isa);
  return exports;
}
