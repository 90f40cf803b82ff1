"""W1 reference: the seed's standard autoencoder on MNIST in PyTorch (see bench/README.md).

784-128-64-32-16 encoder (ReLU), mirrored decoder 16-32-64-128-784 (ReLU, Sigmoid output),
batch 64, Adam 1e-3, mean MSE, shuffled with a seed. Prints one JSON line.
"""
import argparse
import json
import time

import torch
from torch import nn

import mnist_idx
import torch_env


def build_model() -> nn.Module:
    sizes = [784, 128, 64, 32, 16]
    layers: list[nn.Module] = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    rev = sizes[::-1]
    for i, (a, b) in enumerate(zip(rev[:-1], rev[1:])):
        layers += [nn.Linear(a, b), nn.Sigmoid() if i == len(rev) - 2 else nn.ReLU()]
    return nn.Sequential(*layers)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=0, help="0 keeps torch's default")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N train images")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    train = torch.from_numpy(mnist_idx.train_images())
    if args.limit > 0:
        train = train[: args.limit]
    test = torch.from_numpy(mnist_idx.test_images())
    model = build_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    generator = torch.Generator().manual_seed(args.seed)

    epoch_seconds = []
    epoch_cpu_seconds = []
    last_loss = float("nan")
    for _ in range(args.epochs):
        start = time.perf_counter()
        cpu_start = time.process_time()
        order = torch.randperm(train.shape[0], generator=generator)
        for i in range(0, train.shape[0], args.batch):
            batch = train[order[i : i + args.batch]]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(batch), batch)
            loss.backward()
            optimizer.step()
        last_loss = loss.item()
        epoch_seconds.append(time.perf_counter() - start)
        epoch_cpu_seconds.append(time.process_time() - cpu_start)

    with torch.no_grad():
        test_mse = float(((model(test) - test) ** 2).mean())
    print(
        json.dumps(
            {
                "workload": "W1",
                "side": "pytorch",
                "metrics": {
                    "secondsPerEpoch": sum(epoch_seconds) / len(epoch_seconds),
                    "cpuSecondsPerEpoch": sum(epoch_cpu_seconds) / len(epoch_cpu_seconds),
                    "testMse": test_mse,
                },
                "info": {
                    "epochSeconds": epoch_seconds,
                    "epochCpuSeconds": epoch_cpu_seconds,
                    "lastTrainLoss": last_loss,
                    "trainImages": int(train.shape[0]),
                    "torchVersion": torch.__version__,
                    "threads": torch.get_num_threads(),
                    "blas": torch_env.blas_library(),
                },
            }
        )
    )

if __name__ == "__main__":
    main()
