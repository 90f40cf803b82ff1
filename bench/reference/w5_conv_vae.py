"""W5 reference: the convolutional VAE of issue #16 on MNIST's 55,000 training images in PyTorch,
layer for layer the model mmae's image plugin builds for `encoder: conv, filters: [32, 64],
kernelSize: 3, hiddenSizes: [256]` (model and loop in conv_vae.py; bench/README.md). The rows and
their order come from mmae's own code (bench/workloads/w5-order.ts), so both sides see the same
images in the same order. Prints one JSON line.
"""
import argparse
import json

import torch

import conv_vae
import mnist_idx
import torch_env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, default=0, help="0 keeps torch's default")
    parser.add_argument("--limit", type=int, default=0, help="mmae's seeded trainLimit subset")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    rows = conv_vae.from_mmae("bench/workloads/w5-order.ts", "--epochs", str(args.epochs),
                              "--limit", str(args.limit), "--seed", str(args.seed))
    images = torch.from_numpy(mnist_idx.train_images()).view(-1, 1, 28, 28)
    train_x = images[torch.tensor(rows["train"])].contiguous()
    validation_x = images[torch.tensor(rows["validation"])].contiguous()
    test_x = torch.from_numpy(mnist_idx.test_images()).view(-1, 1, 28, 28)

    model = conv_vae.ConvVae(channels=1, size=28, filters=(32, 64), hidden=256, latent=16)
    run = conv_vae.train(model, train_x, rows["order"], args.batch, validation_x)
    print(
        json.dumps(
            {
                "workload": "W5",
                "side": "pytorch",
                "metrics": {
                    "secondsPerEpoch": sum(run["seconds"]) / len(run["seconds"]),
                    "cpuSecondsPerEpoch": sum(run["cpuSeconds"]) / len(run["cpuSeconds"]),
                    "testNegElbo": conv_vae.mean_neg_elbo(model, test_x, 1000),
                },
                "info": {
                    "epochSeconds": run["seconds"],
                    "lastTrainLoss": run["lastTrainLoss"],
                    "lastEpochValidationLoss": run["validation"][-1],
                    "trainImages": int(train_x.shape[0]),
                    "testImages": int(test_x.shape[0]),
                    "parameters": sum(p.numel() for p in model.parameters()),
                    "torchVersion": torch.__version__,
                    "threads": torch.get_num_threads(),
                    "blas": torch_env.blas_library(),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
