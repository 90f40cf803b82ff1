"""The conv VAE that mmae's image plugin builds for `encoder: conv` (stride-2 3×3 convs with ReLU,
dense layers; decoder: dense layers, ×2 nearest upsampling + 3×3 conv with ReLU per level, a 3×3
conv to the channels, Bernoulli logits), in PyTorch, with tfjs's 'same' padding and
initialisation, and the training loop W5 and W6 share. bench/README.md says what matches."""
import json
import shutil
import subprocess
import time

import torch
import torch.nn.functional as F
from torch import nn

import mnist_idx


class SamePadStride2(nn.Module):
    """tfjs's padding 'same' for a 3×3 stride-2 conv on an even size: one row and column of zeros
    after the image (bottom, right), none before; torch's padding=1 would pad both sides."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.pad(x, (0, 1, 0, 1))


def glorot_init(module: nn.Module) -> None:
    """tfjs's defaults as mmae uses them: Glorot-uniform kernels (fan_in = k·k·in, fan_out =
    k·k·out for a conv, as torch's xavier_uniform_ computes them), zero biases."""
    if isinstance(module, (nn.Conv2d, nn.Linear)):
        nn.init.xavier_uniform_(module.weight)
        nn.init.zeros_(module.bias)


class ConvVae(nn.Module):
    def __init__(self, channels: int, size: int, filters: tuple, hidden: int, latent: int) -> None:
        super().__init__()
        if size % 2 ** len(filters) != 0:
            raise SystemExit("conv_vae.py: size must be divisible by 2^levels (no cropping here)")
        self.latent = latent
        grid = size // 2 ** len(filters)
        layers: list[nn.Module] = []
        previous = channels
        for f in filters:
            layers += [SamePadStride2(), nn.Conv2d(previous, f, 3, stride=2), nn.ReLU()]
            previous = f
        # mmae's projection: one dense layer to [μ, log σ²], no activation.
        layers += [nn.Flatten(), nn.Linear(previous * grid * grid, hidden), nn.ReLU(),
                   nn.Linear(hidden, 2 * latent)]
        self.encoder = nn.Sequential(*layers)
        layers = [nn.Linear(latent, hidden), nn.ReLU(),
                  nn.Linear(hidden, previous * grid * grid), nn.ReLU(),
                  nn.Unflatten(1, (previous, grid, grid))]
        for f in reversed(filters):
            layers += [nn.Upsample(scale_factor=2, mode="nearest"),
                       nn.Conv2d(previous, f, 3, padding=1), nn.ReLU()]
            previous = f
        layers += [nn.Conv2d(previous, channels, 3, padding=1)]  # Bernoulli logits
        self.decoder = nn.Sequential(*layers)
        self.apply(glorot_init)

    def neg_elbo(self, x: torch.Tensor) -> torch.Tensor:
        """−ELBO per image (nats): Bernoulli NLL summed over pixels + KL to N(0, I), one
        reparameterised sample; log σ² clipped to [−12, 12] as mmae's splitGaussian does."""
        mu, logvar = self.encoder(x).split(self.latent, dim=1)
        logvar = logvar.clamp(-12.0, 12.0)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        logits = self.decoder(z)
        nll = F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1)
        kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)
        return nll + kl


def from_mmae(script: str, *args: str) -> dict:
    """The JSON a bench/workloads script prints (rows, orders, data folders from mmae's code)."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit(f"{script}: node is not on PATH; the reference reads mmae's row order")
    out = subprocess.run(
        [node, "--import", "tsx", script, *args],
        cwd=mnist_idx.REPO, check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)


def mean_neg_elbo(model: ConvVae, x: torch.Tensor, batch: int) -> float:
    with torch.no_grad():
        return float(torch.cat([model.neg_elbo(x[i : i + batch]) for i in range(0, len(x), batch)]).mean())


def train(model: ConvVae, train_x: torch.Tensor, orders: list, batch: int,
          validation_x: torch.Tensor | None) -> dict:
    """Epochs over train_x in the given row orders, Adam lr 1e-3 with tfjs's ε 1e-7 (torch's
    default 1e-8 would be a different optimiser); the validation −ELBO inside the epoch's time,
    as mmae's trainer does it. Returns the timings and losses."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    seconds, cpu_seconds, validation = [], [], []
    last_loss = float("nan")
    for epoch_order in orders:
        start, cpu_start = time.perf_counter(), time.process_time()
        order = torch.tensor(epoch_order)
        for i in range(0, len(order), batch):
            loss = model.neg_elbo(train_x[order[i : i + batch]]).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        last_loss = loss.item()
        if validation_x is not None and len(validation_x) > 0:
            validation.append(mean_neg_elbo(model, validation_x, batch))
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(time.process_time() - cpu_start)
    return {"seconds": seconds, "cpuSeconds": cpu_seconds, "lastTrainLoss": last_loss,
            "validation": validation}
