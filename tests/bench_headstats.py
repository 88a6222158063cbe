"""Benchmark of the head summary and the token text in print mode (on demand; not a test).

    python tests/bench_headstats.py [--dir DIR] [--stats entropy,max,first,prev,diag]
        [--runs 1] [--tokens 32768] [--cold]

Writes a ``[32, 32, 1024, 1024]`` float16 causal attention tensor (2 GiB: softmax rows,
zeros above the diagonal) as a .npy in ``DIR`` (default: a directory under the system's
temporary directory, kept and reused by later runs), made head by head in bounded memory.
Then, for each statistic, ``tuiheat FILE --summary STAT --print`` in a fresh process (a
cold start of the process; the file is in the page cache after the first run, as it is
for a user who just wrote it; ``--cold`` also reads it from the disk, this file's pages
evicted from the cache before each run): the wall time, and the peak resident memory of the process
(``getrusage(RUSAGE_CHILDREN).ru_maxrss``, each run in its own measuring process so the
figures do not mix). Issue 26's targets: at most 10 s and 300 MiB.

Then ``--as-text`` on a ``[32 layers, tokens]`` float32 matrix (a probe's score per layer
and position) with a token per column (32,768 by default): ``tuiheat FILE --labels
TOKENS --print --as-text -1 --width 200`` in truecolor, wall and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SHAPE = (32, 32, 1024, 1024)
HEAD_BYTES = SHAPE[2] * SHAPE[3] * 2
TARGET_SECONDS, TARGET_MIB = 10.0, 300.0
STATS = ("entropy", "max", "first", "prev", "diag")

# Runs the command as a child and reports its own children's peak RSS: one process per
# measurement, so RUSAGE_CHILDREN holds exactly that run.
MEASURE = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"wall": wall, "mib": peak, "code": done.returncode,
                  "out": len(done.stdout), "err": done.stderr.decode(errors="replace")[-400:]}))
"""


def tuiheat_command() -> list[str]:
    exe = Path(sys.executable).parent / "tuiheat"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "tuiheat"]


def causal_head(rng: np.random.Generator, temperature: float) -> np.ndarray:
    """One head's [q, k] softmax pattern with zeros above the diagonal, as float16."""
    n = SHAPE[2]
    scores = rng.standard_normal((n, n), dtype=np.float32) * np.float32(temperature)
    scores[np.triu_indices(n, 1)] = -np.inf
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    return scores.astype(np.float16)


def write_tensor(path: Path) -> None:
    """The .npy written header first, then head by head: memory is that of one head."""
    if path.exists() and path.stat().st_size > np.prod(SHAPE) * 2:
        return
    rng = np.random.default_rng(26)
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    with open(partial, "wb") as out:
        header = {"descr": "<f2", "fortran_order": False, "shape": SHAPE}
        np.lib.format.write_array_header_1_0(out, header)
        for layer in range(SHAPE[0]):
            for head in range(SHAPE[1]):
                temperature = 0.5 + 4.0 * ((layer * SHAPE[1] + head) % 7) / 6
                out.write(causal_head(rng, temperature).tobytes())
            print(f"  writing layer {layer + 1}/{SHAPE[0]}", end="\r", file=sys.stderr)
    partial.rename(path)
    print(f"wrote {path} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def write_text_matrix(path: Path, tokens: int) -> None:
    """A [32, tokens] float32 matrix and its tokens as a JSON list beside it."""
    if path.exists():
        return
    rng = np.random.default_rng(7)
    np.save(path, rng.random((32, tokens), dtype=np.float32))
    words = ["Ġthe", "Ġcapital", "Ġof", "ĠFrance", "Ġis", "ĠParis", ".", "Ċ"]
    labels = [words[i % len(words)] for i in range(tokens)]
    path.with_suffix(".json").write_text(json.dumps(labels))


def evict(path: Path) -> None:
    """The file's pages out of the page cache (this file only: nothing else is disturbed),
    so the next run reads it from the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def measure(argv: list[str], cold: Path | None = None) -> dict[str, object]:
    if cold is not None:
        evict(cold)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *argv], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def report(what: str, figures: list[dict[str, object]], targets: bool = True) -> None:
    walls = [float(f["wall"]) for f in figures]  # type: ignore[arg-type]
    mibs = [float(f["mib"]) for f in figures]  # type: ignore[arg-type]
    codes = {int(f["code"]) for f in figures}  # type: ignore[call-overload]
    line = f"{what:<34} wall {min(walls):6.2f} s (max {max(walls):6.2f})   peak RSS {max(mibs):6.0f} MiB"
    if targets:
        ok = min(walls) <= TARGET_SECONDS and max(mibs) <= TARGET_MIB
        line += "   ok" if ok else "   MISSES the target"
    if codes != {0}:
        line += f"   exit {sorted(codes)}: {figures[-1]['err']}"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default_dir = Path(tempfile.gettempdir()) / "tuiheat-bench-headstats"
    parser.add_argument("--dir", type=Path, default=default_dir)
    parser.add_argument("--stats", default=",".join(STATS))
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--tokens", type=int, default=32768)
    parser.add_argument(
        "--cold",
        action="store_true",
        help="also read the tensor from the disk (page cache evicted)",
    )
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    attn = args.dir / "attn_32x32x1024x1024_f16.npy"
    write_tensor(attn)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    command = tuiheat_command()
    print(f"{attn.name}: {attn.stat().st_size / 2**30:.2f} GiB, {os.cpu_count()} cores")
    measure([*command, "--version"])  # compiled modules, a warm disk cache for the code
    for stat in args.stats.split(","):
        argv = [*command, str(attn), "--summary", stat, "--print", "--color", "none"]
        report(f"--summary {stat} --print", [measure(argv) for _ in range(args.runs)])
        if args.cold:
            cold = [measure(argv, attn) for _ in range(args.runs)]
            report(f"--summary {stat} --print, disk", cold)
    text = args.dir / f"text_{args.tokens}.npy"
    write_text_matrix(text, args.tokens)
    argv = [
        *command,
        str(text),
        "--labels",
        str(text.with_suffix(".json")),
        "--print",
        "--as-text",
        "-1",
        "--width",
        "200",
        "--color",
        "truecolor",
    ]
    report(f"--as-text, {args.tokens} tokens", [measure(argv) for _ in range(args.runs)], False)


if __name__ == "__main__":
    main()
