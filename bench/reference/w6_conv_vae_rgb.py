"""W6 reference: the RGB conv VAE at 64×64 (filters 32-64-128, dense 256, latent 32, Bernoulli,
batch 64) on W6's seeded procedural shapes, in PyTorch. The images, the train/test split and each
epoch's order come from mmae's own code (bench/workloads/w6-shapes.ts). Prints one JSON line.
"""
import argparse
import json
from pathlib import Path

import numpy as np
import torch

import conv_vae
import torch_env

TRAIN = 5000  # bench/workloads/w6-conv-vae-rgb.ts's W6_TRAIN


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=0, help="0 keeps torch's default")
    parser.add_argument("--limit", type=int, default=0, help="train images (default 5,000)")
    parser.add_argument("--test", type=int, default=1000)
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    n_train = args.limit if args.limit > 0 else TRAIN
    data = conv_vae.from_mmae("bench/workloads/w6-shapes.ts", "--train", str(n_train), "--test",
                              str(args.test), "--seed", str(args.seed), "--epochs", str(args.epochs))
    size = data["size"]
    raw = np.fromfile(Path(data["dir"]) / "images.u8", dtype=np.uint8)
    images = torch.from_numpy(raw.reshape(-1, size, size, 3).astype(np.float32) / 255.0)
    images = images.permute(0, 3, 1, 2).contiguous()  # NHWC bytes → NCHW
    train_x, test_x = images[:n_train], images[n_train : n_train + args.test]

    model = conv_vae.ConvVae(channels=3, size=size, filters=(32, 64, 128), hidden=256, latent=32)
    run = conv_vae.train(model, train_x, data["order"], args.batch, None)
    print(
        json.dumps(
            {
                "workload": "W6",
                "side": "pytorch",
                "metrics": {
                    "secondsPerEpoch": sum(run["seconds"]) / len(run["seconds"]),
                    "cpuSecondsPerEpoch": sum(run["cpuSeconds"]) / len(run["cpuSeconds"]),
                    "testNegElbo": conv_vae.mean_neg_elbo(model, test_x, 1000),
                },
                "info": {
                    "epochSeconds": run["seconds"],
                    "lastTrainLoss": run["lastTrainLoss"],
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
