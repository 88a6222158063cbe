"""Benchmark of token ids to strings (``loaders.tokenizer``): a logit-lens top-k of
[31 layers, 128 positions, k=10] ids read through a GPT-2-sized and a Llama-3-sized
byte-level BPE vocabulary written here. Prints figures; asserts nothing:

    python tests/bench_vocabulary.py [--runs 5]

- load: ``Vocabulary.load`` of the tokenizer.json (parse only);
- first: the first ``tokens`` call, which builds the id -> string table;
- again: later calls for the whole grid, and for one cell's k ids (a cursor step);
- id_of: one ``--track`` lookup typed as text (`` the``).
Target (issue 27): the whole grid in well under a second.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer, models, pre_tokenizers

from tuiheat.loaders.tokenizer import Vocabulary

SHAPE = (31, 128, 10)


def write_tokenizer(folder: Path, size: int) -> Path:
    """A byte-level BPE of ``size`` pieces: the 256 byte symbols, then 'Ġw<i>' words."""
    alphabet = sorted(pre_tokenizers.ByteLevel.alphabet())
    vocab = {piece: i for i, piece in enumerate(alphabet)}
    for piece in ("Ġt", "Ġth", "Ġthe"):
        vocab[piece] = len(vocab)
    for i in range(len(vocab), size):
        vocab[f"Ġw{i}"] = i
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[("Ġ", "t"), ("Ġt", "h"), ("Ġth", "e")]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    path = folder / f"tokenizer-{size}.json"
    tok.save(str(path))
    return path


def ms(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds) * 1e3:8.2f} ms, max {max(seconds) * 1e3:8.2f} ms"


def run(path: Path, runs: int) -> None:
    size_mb = path.stat().st_size / 1024**2
    ids = np.random.default_rng(0).integers(0, 50_000, size=SHAPE).astype(np.int64)
    loads, firsts, agains, cells, lookups = [], [], [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        vocab = Vocabulary.load(path)
        t1 = time.perf_counter()
        vocab.tokens(ids)
        t2 = time.perf_counter()
        loads.append(t1 - t0)
        firsts.append(t2 - t1)
        t3 = time.perf_counter()
        vocab.tokens(ids)
        agains.append(time.perf_counter() - t3)
        t4 = time.perf_counter()
        vocab.tokens(ids[30, 64])
        cells.append(time.perf_counter() - t4)
        t5 = time.perf_counter()
        vocab.id_of(" the")
        lookups.append(time.perf_counter() - t5)
    print(f"vocabulary {vocab.size:,} ({size_mb:.1f} MB), ids {SHAPE} = {ids.size:,}")
    print(f"  load             {ms(loads)}")
    print(f"  first (+ table)  {ms(firsts)}")
    print(f"  again, grid      {ms(agains)}")
    print(f"  again, one cell  {ms(cells)}")
    print(f"  id_of(' the')    {ms(lookups)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for size in (50_257, 128_256):
            run(write_tokenizer(Path(folder), size), args.runs)


if __name__ == "__main__":
    main()
