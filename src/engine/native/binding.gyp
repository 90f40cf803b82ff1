{
  "targets": [
    {
      "target_name": "mmae_kernels",
      "sources": ["addon.cc", "adam.cc", "bernoulli-nll.cc", "conv2d.cc", "conv2d-direct.cc", "dense-grad.cc", "gemm.cc", "max-pool.cc", "poe-sample.cc", "reduce-sum.cc", "resize.cc", "thread-pool.cc", "token-nll.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno", "-ffp-contract=off", "-fopenmp-simd", "-pthread"],
      "ldflags": ["-pthread"],
      "cflags_cc!": ["-std=gnu++17", "-std=gnu++1y"]
    }
  ]
}
