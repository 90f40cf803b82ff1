"""W2's dense-layer products on PyTorch (bench/native/dense-shapes.cc times mmae's): forward
x·W, dW = xᵀ·dy and dx = dy·Wᵀ, CPU ms per call and GFLOP per CPU second. Run it on OpenBLAS,
one thread, as bench/run.ts runs the references:

  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread OMP_NUM_THREADS=1 \\
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/reference/dense_shapes.py
"""
import time

import torch

LAYERS = [(128, 784, 512), (128, 512, 512), (128, 512, 40), (128, 64, 256), (128, 256, 40),
          (256, 20, 512), (256, 512, 512), (256, 512, 784), (256, 20, 256), (256, 256, 304)]


def cpu_ms_per_call(f):
    for _ in range(5):
        f()
    calls, start = 0, time.process_time()
    while time.process_time() - start < 0.3:
        f()
        calls += 1
    return (time.process_time() - start) / calls * 1e3


def main():
    torch.set_num_threads(1)
    torch.manual_seed(1)
    totals = [0.0, 0.0, 0.0]
    print("rows   in  out | forward ms GF/s | dW ms GF/s | dx ms GF/s")
    for rows, n_in, n_out in LAYERS:
        x, w, dy = torch.randn(rows, n_in), torch.randn(n_in, n_out), torch.randn(rows, n_out)
        flop = 2.0 * rows * n_in * n_out
        ms = [cpu_ms_per_call(lambda: x @ w), cpu_ms_per_call(lambda: x.t() @ dy),
              cpu_ms_per_call(lambda: dy @ w.t())]
        totals = [t + m for t, m in zip(totals, ms)]
        print("%4d %4d %4d | %6.3f %5.1f | %6.3f %5.1f | %6.3f %5.1f" % (
            rows, n_in, n_out, ms[0], flop / ms[0] / 1e6, ms[1], flop / ms[1] / 1e6,
            ms[2], flop / ms[2] / 1e6))
    print("total ms: forward %.3f, dW %.3f, dx %.3f (torch %s, %d thread)" % (
        totals[0], totals[1], totals[2], torch.__version__, torch.get_num_threads()))


if __name__ == "__main__":
    main()
