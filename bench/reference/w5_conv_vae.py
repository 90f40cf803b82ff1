"""W5 reference: the convolutional VAE of issue #16 on MNIST's 55,000 training images in PyTorch,
layer for layer the model mmae's image plugin builds for `encoder: conv, filters: [32, 64],
kernelSize: 3, hiddenSizes: [256]` (bench/README.md). The rows and their order come from mmae's
own code (bench/workloads/w5-order.ts), so both sides see the same images in the same order.
Prints one JSON line.
"""
import argparse
import json
import shutil
import subprocess
import time

import torch
import torch.nn.functional as F
from torch import nn

import mnist_idx
import torch_env

LATENT = 16
FILTERS = (32, 64)
HIDDEN = 256
GRID = 7  # 28 halved twice by the stride-2 'same' convolutions, rounding up


class SamePadStride2(nn.Module):
    """tfjs's padding 'same' for a 3×3 stride-2 conv on an even size: one row and column of zeros
    after the image (bottom, right), none before; torch's padding=1 would pad both sides."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.pad(x, (0, 1, 0, 1))


def encoder() -> nn.Sequential:
    return nn.Sequential(
        SamePadStride2(), nn.Conv2d(1, FILTERS[0], 3, stride=2), nn.ReLU(),
        SamePadStride2(), nn.Conv2d(FILTERS[0], FILTERS[1], 3, stride=2), nn.ReLU(),
        nn.Flatten(),
        nn.Linear(FILTERS[1] * GRID * GRID, HIDDEN), nn.ReLU(),
        # mmae's projection: one dense layer to [μ, log σ²], no activation.
        nn.Linear(HIDDEN, 2 * LATENT),
    )


def decoder() -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(LATENT, HIDDEN), nn.ReLU(),
        nn.Linear(HIDDEN, FILTERS[1] * GRID * GRID), nn.ReLU(),
        nn.Unflatten(1, (FILTERS[1], GRID, GRID)),
        nn.Upsample(scale_factor=2, mode="nearest"),
        nn.Conv2d(FILTERS[1], FILTERS[1], 3, padding=1), nn.ReLU(),
        nn.Upsample(scale_factor=2, mode="nearest"),
        nn.Conv2d(FILTERS[1], FILTERS[0], 3, padding=1), nn.ReLU(),
        nn.Conv2d(FILTERS[0], 1, 3, padding=1),  # Bernoulli logits; 28 = 7·2², no crop
    )


def glorot_init(module: nn.Module) -> None:
    """tfjs's defaults as mmae uses them: Glorot-uniform kernels (fan_in = k·k·in, fan_out =
    k·k·out for a conv, as torch's xavier_uniform_ computes them), zero biases."""
    if isinstance(module, (nn.Conv2d, nn.Linear)):
        nn.init.xavier_uniform_(module.weight)
        nn.init.zeros_(module.bias)


class ConvVae(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.encoder = encoder()
        self.decoder = decoder()
        self.apply(glorot_init)

    def neg_elbo(self, x: torch.Tensor) -> torch.Tensor:
        """−ELBO per image (nats): Bernoulli NLL summed over pixels + KL to N(0, I), one
        reparameterised sample; log σ² clipped to [−12, 12] as mmae's splitGaussian does."""
        mu, logvar = self.encoder(x).split(LATENT, dim=1)
        logvar = logvar.clamp(-12.0, 12.0)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        logits = self.decoder(z)
        nll = F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1)
        kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)
        return nll + kl


def mmae_rows(epochs: int, limit: int, seed: int) -> dict:
    """Train/validation file indices and per-epoch orders, from mmae's code (w5-order.ts)."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit("w5_conv_vae.py: node is not on PATH; it reads W5's row order from mmae")
    out = subprocess.run(
        [node, "--import", "tsx", "bench/workloads/w5-order.ts", "--epochs", str(epochs),
         "--limit", str(limit), "--seed", str(seed)],
        cwd=mnist_idx.REPO, check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)


def mean_neg_elbo(model: ConvVae, x: torch.Tensor, batch: int) -> float:
    with torch.no_grad():
        return float(torch.cat([model.neg_elbo(x[i : i + batch]) for i in range(0, len(x), batch)]).mean())


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

    rows = mmae_rows(args.epochs, args.limit, args.seed)
    images = torch.from_numpy(mnist_idx.train_images()).view(-1, 1, 28, 28)
    train_x = images[torch.tensor(rows["train"])].contiguous()
    validation_x = images[torch.tensor(rows["validation"])].contiguous()
    test_x = torch.from_numpy(mnist_idx.test_images()).view(-1, 1, 28, 28)

    model = ConvVae()
    # tfjs's Adam ε is 1e-7; torch's default 1e-8 would be a different optimiser.
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    epoch_seconds, epoch_cpu_seconds, validation = [], [], []
    last_loss = float("nan")
    for epoch in range(args.epochs):
        start, cpu_start = time.perf_counter(), time.process_time()
        order = torch.tensor(rows["order"][epoch])
        for i in range(0, len(order), args.batch):
            x = train_x[order[i : i + args.batch]]
            loss = model.neg_elbo(x).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        last_loss = loss.item()
        # mmae's trainer evaluates the validation split inside its epoch time; so does this.
        validation.append(mean_neg_elbo(model, validation_x, args.batch))
        epoch_seconds.append(time.perf_counter() - start)
        epoch_cpu_seconds.append(time.process_time() - cpu_start)

    print(
        json.dumps(
            {
                "workload": "W5",
                "side": "pytorch",
                "metrics": {
                    "secondsPerEpoch": sum(epoch_seconds) / len(epoch_seconds),
                    "cpuSecondsPerEpoch": sum(epoch_cpu_seconds) / len(epoch_cpu_seconds),
                    "testNegElbo": mean_neg_elbo(model, test_x, 1000),
                },
                "info": {
                    "epochSeconds": epoch_seconds,
                    "lastTrainLoss": last_loss,
                    "lastEpochValidationLoss": validation[-1],
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
