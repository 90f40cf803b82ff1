"""W3 reference: encode the 10k MNIST test images with the W1 encoder (784-128-64-32-16, ReLU)
in PyTorch, no grad, and report samples per second (median over passes). The weights are seeded
and untrained: the cost of a forward pass does not depend on their values.
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn

import mnist_idx
import torch_env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--passes", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=0, help="0 keeps torch's default")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    sizes = [784, 128, 64, 32, 16]
    layers: list[nn.Module] = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    encoder = nn.Sequential(*layers).eval()
    test = torch.from_numpy(mnist_idx.test_images())

    rates, cpu_rates = [], []
    with torch.no_grad():
        encoder(test[: args.batch])  # warm-up
        for _ in range(args.passes):
            start, cpu_start = time.perf_counter(), time.process_time()
            for i in range(0, test.shape[0], args.batch):
                encoder(test[i : i + args.batch])
            rates.append(test.shape[0] / (time.perf_counter() - start))
            cpu_rates.append(test.shape[0] / (time.process_time() - cpu_start))
    print(
        json.dumps(
            {
                "workload": "W3",
                "side": "pytorch",
                "metrics": {
                    "samplesPerSecond": statistics.median(rates),
                    "samplesPerCpuSecond": statistics.median(cpu_rates),
                },
                "info": {
                    "images": int(test.shape[0]),
                    "batch": args.batch,
                    "passes": args.passes,
                    "torchVersion": torch.__version__,
                    "threads": torch.get_num_threads(),
                    "blas": torch_env.blas_library(),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
