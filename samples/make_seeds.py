"""Five seeds of the seed figure's probe, and five of a weaker baseline probe, for the
statistics across runs (``--stats``, ``--vs``).

Each seed is the seed figure's grid (``make_seed.seed_values``) plus what retraining a
probe with another seed changes: a per-seed offset of each token's curve and cell noise,
larger where the probe is weak (the ``-8`` .. ``-1`` columns) than where it is sure. The
baseline probe shrinks every value a fifth of the way towards chance (0.5), so the two
differ most where the probe is best. Made-up values, like the seed figure's.

    python samples/make_seeds.py     # writes seeds/probe_seed{0..4}.csv, baseline_seed{0..4}.csv

    tuiheat samples/seeds/probe_seed*.csv --stats
    tuiheat samples/seeds/probe_seed*.csv --vs samples/seeds/baseline_seed*.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_seed import TOKENS, seed_values

SEEDS = 5
SHRINK = 0.2  # the baseline probe: this share of the way towards chance


def one_seed(base: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The probe retrained with another seed: a token's curve moves a little, every cell
    a little more where the probe is unsure (values near chance)."""
    unsure = 1.0 - np.clip((base - 0.5) / 0.5, 0.0, 1.0)  # 1 at chance, 0 at AUC 1
    offset = rng.normal(0.0, 0.01, size=(1, base.shape[1]))
    noise = rng.normal(0.0, 1.0, size=base.shape) * (0.006 + 0.05 * unsure**2)
    return np.clip(np.round(base + offset + noise, 4), 0.0, 1.0)


def write_grid(path: Path, values: np.ndarray) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["layer", *TOKENS])
        for layer, row in enumerate(values):
            writer.writerow([layer, *(f"{v:.4f}" for v in row)])


def main() -> None:
    out = Path(__file__).resolve().parent / "seeds"
    out.mkdir(exist_ok=True)
    base = seed_values()
    baseline = 0.5 + (1.0 - SHRINK) * (base - 0.5)
    rng = np.random.default_rng(2026)
    for seed in range(SEEDS):
        write_grid(out / f"probe_seed{seed}.csv", one_seed(base, rng))
        write_grid(out / f"baseline_seed{seed}.csv", one_seed(baseline, rng))


if __name__ == "__main__":
    main()
