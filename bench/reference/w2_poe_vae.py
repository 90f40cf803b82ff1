"""W2 reference: an image-text VAE with product-of-experts fusion (MVAE) on MNIST-captions in
PyTorch. The architecture is written down in bench/README.md. Prints one JSON line.
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F
from torch import nn

import mnist_captions
import mnist_idx
import torch_env

LATENT = 20


class ImageEncoder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU())
        self.mu = nn.Linear(512, LATENT)
        self.logvar = nn.Linear(512, LATENT)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.body(x)
        return self.mu(h), self.logvar(h)


class TextEncoder(nn.Module):
    def __init__(self, vocab: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, 64, padding_idx=mnist_captions.PAD_ID)
        self.body = nn.Sequential(nn.Linear(64, 256), nn.ReLU())
        self.mu = nn.Linear(256, LATENT)
        self.logvar = nn.Linear(256, LATENT)

    def forward(self, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mask = (tokens != mnist_captions.PAD_ID).float().unsqueeze(-1)
        pooled = (self.embed(tokens) * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        h = self.body(pooled)
        return self.mu(h), self.logvar(h)


class ImageDecoder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(LATENT, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 784)
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.body(z)  # Bernoulli logits


class TextDecoder(nn.Module):
    def __init__(self, vocab: int) -> None:
        super().__init__()
        self.vocab = vocab
        self.body = nn.Sequential(
            nn.Linear(LATENT, 256), nn.ReLU(), nn.Linear(256, mnist_captions.MAX_LEN * vocab)
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.body(z).view(-1, mnist_captions.MAX_LEN, self.vocab)  # categorical logits


def product_of_experts(
    mus: list[torch.Tensor], logvars: list[torch.Tensor]
) -> tuple[torch.Tensor, torch.Tensor]:
    """Gaussian experts times the N(0, I) prior expert: precision-weighted mean."""
    prior = torch.zeros_like(mus[0])
    mu = torch.stack([prior] + mus)
    logvar = torch.stack([prior] + logvars)
    precision = torch.exp(-logvar)
    joint_var = 1.0 / precision.sum(0)
    joint_mu = (mu * precision).sum(0) * joint_var
    return joint_mu, torch.log(joint_var)


class Mvae(nn.Module):
    def __init__(self, vocab: int) -> None:
        super().__init__()
        self.image_encoder = ImageEncoder()
        self.text_encoder = TextEncoder(vocab)
        self.image_decoder = ImageDecoder()
        self.text_decoder = TextDecoder(vocab)

    def neg_elbo(
        self, image: torch.Tensor | None, text: torch.Tensor | None, sample: bool = True
    ) -> torch.Tensor:
        """−ELBO per sample (nats) for the modalities present, summed over pixels and tokens."""
        mus, logvars = [], []
        if image is not None:
            m, lv = self.image_encoder(image)
            mus.append(m)
            logvars.append(lv)
        if text is not None:
            m, lv = self.text_encoder(text)
            mus.append(m)
            logvars.append(lv)
        mu, logvar = product_of_experts(mus, logvars)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar) if sample else mu
        nll = torch.zeros(mu.shape[0])
        if image is not None:
            logits = self.image_decoder(z)
            nll = nll + F.binary_cross_entropy_with_logits(logits, image, reduction="none").sum(1)
        if text is not None:
            logits = self.text_decoder(z)
            nll = nll + F.cross_entropy(
                logits.reshape(-1, logits.shape[-1]), text.reshape(-1), reduction="none"
            ).view(text.shape).sum(1)
        kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)
        return nll + kl


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, default=0, help="0 keeps torch's default")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N train images")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    vocab = mnist_captions.build_vocabulary()
    train_x = torch.from_numpy(mnist_idx.train_images())
    train_y = mnist_idx.train_labels()
    if args.limit > 0:
        train_x, train_y = train_x[: args.limit], train_y[: args.limit]
    train_t = torch.from_numpy(
        mnist_captions.tokenise(mnist_captions.captions_for(train_y, args.seed), vocab)
    )
    test_x = torch.from_numpy(mnist_idx.test_images())
    test_t = torch.from_numpy(
        mnist_captions.tokenise(mnist_captions.captions_for(mnist_idx.test_labels(), args.seed + 1), vocab)
    )

    model = Mvae(len(vocab))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(args.seed)
    epoch_seconds, epoch_cpu_seconds = [], []
    last_loss = float("nan")
    for _ in range(args.epochs):
        start, cpu_start = time.perf_counter(), time.process_time()
        order = torch.randperm(train_x.shape[0], generator=generator)
        for i in range(0, train_x.shape[0], args.batch):
            idx = order[i : i + args.batch]
            x, t = train_x[idx], train_t[idx]
            # MVAE sub-sampled objective: the joint ELBO plus each unimodal ELBO.
            loss = (
                model.neg_elbo(x, t) + model.neg_elbo(x, None) + model.neg_elbo(None, t)
            ).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        last_loss = loss.item()
        epoch_seconds.append(time.perf_counter() - start)
        epoch_cpu_seconds.append(time.process_time() - cpu_start)

    with torch.no_grad():
        test_joint = float(
            torch.cat(
                [model.neg_elbo(test_x[i : i + 1000], test_t[i : i + 1000]) for i in range(0, 10000, 1000)]
            ).mean()
        )
    print(
        json.dumps(
            {
                "workload": "W2",
                "side": "pytorch",
                "metrics": {
                    "secondsPerEpoch": sum(epoch_seconds) / len(epoch_seconds),
                    "cpuSecondsPerEpoch": sum(epoch_cpu_seconds) / len(epoch_cpu_seconds),
                    "testNegElbo": test_joint,
                },
                "info": {
                    "epochSeconds": epoch_seconds,
                    "lastTrainLoss": last_loss,
                    "trainImages": int(train_x.shape[0]),
                    "vocabulary": len(vocab),
                    "torchVersion": torch.__version__,
                    "threads": torch.get_num_threads(),
                    "blas": torch_env.blas_library(),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
