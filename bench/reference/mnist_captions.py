"""MNIST-captions for the W2 reference: each image gets one caption from the same templates as
datasets/mnist-captions/captions.ts, chosen by a seeded numpy generator (the choice is seeded but
not the same draw as the TypeScript dataset's). Tokens: lower-case words split on spaces, then
<eos>, padded with <pad> to MAX_LEN.
"""
import numpy as np

TEMPLATES = [
    "a handwritten {word}",
    "the digit {digit}",
    "number {word}",
    "{a_word}",
    "an image of the digit {word}",
    "this is {a_digit}",
    "a picture of {a_word}",
    "the number {word} written by hand",
]
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
SPECIALS = ["<pad>", "<unk>", "<bos>", "<eos>"]
PAD_ID, EOS_ID = 0, 3
MAX_LEN = 8


def with_article(text: str) -> str:
    return ("an " if text.startswith(("8", "eight")) else "a ") + text


def render(template: str, digit: int) -> str:
    word = WORDS[digit]
    return (
        template.replace("{a_word}", with_article(word))
        .replace("{a_digit}", with_article(str(digit)))
        .replace("{word}", word)
        .replace("{digit}", str(digit))
    )


def build_vocabulary() -> list[str]:
    words = sorted({w for t in TEMPLATES for d in range(10) for w in render(t, d).split()})
    return SPECIALS + words


def captions_for(labels: np.ndarray, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    choice = rng.integers(0, len(TEMPLATES), size=labels.shape[0])
    return [render(TEMPLATES[c], int(d)) for c, d in zip(choice, labels)]


def tokenise(captions: list[str], vocab: list[str]) -> np.ndarray:
    ids = {w: i for i, w in enumerate(vocab)}
    out = np.full((len(captions), MAX_LEN), PAD_ID, dtype=np.int64)
    for r, caption in enumerate(captions):
        tokens = [ids.get(w, 1) for w in caption.split()][: MAX_LEN - 1] + [EOS_ID]
        out[r, : len(tokens)] = tokens
    return out
