"""PyTorch references for the four MNIST configs (configs/mnist-{standard,stacked,sparse,vae}.yaml).

Same architectures, losses, batch sizes, optimiser, learning rate and epochs as the configs, so
that `mmae eval`'s test reconstruction MSE can be compared with PyTorch's. Prints one JSON line per
variant: test MSE (mean over pixels and images) and seconds. Usage:
  /usr/bin/python3 bench/reference/variants.py [standard stacked sparse vae] [--epochs-scale 1.0]
"""
import json
import sys
import time

import numpy as np
import torch
from torch import nn

from mnist_idx import test_images, train_images

torch.manual_seed(42)
np.random.seed(42)


def mlp(sizes, act_last=None):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    if act_last is not None:
        layers.append(act_last)
    return nn.Sequential(*layers)


def batches(x, batch_size, rng):
    order = rng.permutation(len(x))
    for i in range(0, len(x), batch_size):
        yield torch.from_numpy(x[order[i:i + batch_size]])


class AE(nn.Module):
    """784-128-64-32 → 16 (linear code, or sigmoid for KL sparsity) → 32-64-128-784 sigmoid."""

    def __init__(self, code_act=None):
        super().__init__()
        self.encoder = nn.Sequential(mlp([784, 128, 64, 32]), nn.ReLU(), nn.Linear(32, 16))
        self.code_act = code_act
        self.decoder = mlp([16, 32, 64, 128, 784], nn.Sigmoid())

    def code(self, x):
        z = self.encoder(x)
        return self.code_act(z) if self.code_act else z

    def forward(self, x):
        z = self.code(x)
        return self.decoder(z), z


def sse(recon, x):
    return ((recon - x) ** 2).sum(1).mean()


def kl_sparsity(z, rho=0.05, lam=1.0):
    rho_hat = z.mean(0).clamp(1e-6, 1 - 1e-6)
    return lam * (rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))).sum()


def train_ae(model, x, epochs, batch_size, penalty=None, params=None):
    opt = torch.optim.Adam(params if params is not None else model.parameters(), lr=1e-3)
    rng = np.random.default_rng(42)
    for _ in range(epochs):
        for xb in batches(x, batch_size, rng):
            recon, z = model(xb)
            loss = sse(recon, xb) + (penalty(z) if penalty else 0)
            opt.zero_grad()
            loss.backward()
            opt.step()


def test_mse(model, x):
    with torch.no_grad():
        recon, _ = model(torch.from_numpy(x))
        return float(((recon - torch.from_numpy(x)) ** 2).mean())


def stacked(x, x_test, pretrain_epochs=1, finetune_epochs=8):
    model = AE()
    encoder_layers = [m for m in model.encoder.modules() if isinstance(m, nn.Linear)]
    rng = np.random.default_rng(42)
    below = []
    for layer in encoder_layers:
        shallow = nn.Linear(layer.out_features, layer.in_features)
        opt = torch.optim.Adam(list(layer.parameters()) + list(shallow.parameters()), lr=1e-3)
        is_last = layer is encoder_layers[-1]
        for _ in range(pretrain_epochs):
            for xb in batches(x, 64, rng):
                with torch.no_grad():
                    h = xb
                    for prev in below:
                        h = torch.relu(prev(h))
                code = layer(h) if is_last else torch.relu(layer(h))
                loss = ((shallow(code) - h) ** 2).sum(1).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
        below.append(layer)
    train_ae(model, x, finetune_epochs, 64)
    return test_mse(model, x_test)


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(784, 400), nn.ReLU(), nn.Linear(400, 32))
        self.decoder = mlp([16, 400, 784])

    def forward(self, x):
        mu, logvar = self.encoder(x).chunk(2, dim=1)
        logvar = logvar.clamp(-12, 12)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.decoder(z), mu, logvar


def vae(x, x_test, epochs=6, anneal=2):
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rng = np.random.default_rng(42)
    steps = int(np.ceil(len(x) / 128))
    for epoch in range(epochs):
        for i, xb in enumerate(batches(x, 128, rng)):
            logits, mu, logvar = model(xb)
            recon = nn.functional.binary_cross_entropy_with_logits(logits, xb, reduction='none').sum(1)
            kl = 0.5 * (mu ** 2 + logvar.exp() - logvar - 1).sum(1)
            beta = min(1.0, (epoch + i / steps) / anneal)
            loss = (recon + beta * kl).mean()
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 100)
            opt.step()
    with torch.no_grad():
        xt = torch.from_numpy(x_test)
        mu, _ = model.encoder(xt).chunk(2, dim=1)
        return float(((torch.sigmoid(model.decoder(mu)) - xt) ** 2).mean())


def main():
    wanted = [a for a in sys.argv[1:] if not a.startswith('--')] or ['standard', 'stacked', 'sparse', 'vae']
    x = train_images()
    x_test = test_images()
    x = x[:55000]
    for name in wanted:
        start = time.time()
        if name == 'standard':
            model = AE()
            train_ae(model, x, 10, 64)
            mse = test_mse(model, x_test)
        elif name == 'sparse':
            model = AE(code_act=torch.sigmoid)
            train_ae(model, x, 10, 64, penalty=kl_sparsity)
            mse = test_mse(model, x_test)
        elif name == 'stacked':
            mse = stacked(x, x_test)
        elif name == 'vae':
            mse = vae(x, x_test)
        else:
            raise SystemExit(f'unknown variant {name}')
        print(json.dumps({'variant': name, 'test_mse': mse, 'seconds': time.time() - start,
                          'torch': torch.__version__, 'threads': torch.get_num_threads()}), flush=True)


if __name__ == '__main__':
    main()
