"""Rebuild the seed sample: a reconstruction of the figure tuiheat was designed from.

The figure is a heatmap of an error-detection probe's AUC per layer (0-31 of a
32-layer model) and token position, on a 0.5 (light) to 1.0 (dark) blue scale,
with a black box framing tokens ``first_answer`` .. ``-1`` over layers 4-28.
The values follow the figure's description; they are not real measurements.

    python samples/make_seed.py          # writes seed_probe_auc.csv and .json here
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

TOKENS = [
    "last_q",
    "first_answer",
    "second_answer",
    "exact_answer_before_first",
    "exact_answer_first",
    "exact_answer_last",
    "-8",
    "-7",
    "-6",
    "-5",
    "-4",
    "-3",
    "-2",
    "-1",
]
N_LAYERS = 32
BOX = {"rows": ["4", "28"], "cols": ["first_answer", "-1"], "name": "signal"}
TITLE = "Error-detection probe AUC per layer and token (seed figure reconstruction)"


def smoothstep(x: np.ndarray, a: float, b: float) -> np.ndarray:
    t = np.clip((x - a) / (b - a), 0.0, 1.0)
    return t * t * (3 - 2 * t)


def seed_values(seed: int = 7) -> np.ndarray:
    layers = np.arange(N_LAYERS, dtype=np.float64)
    rng = np.random.default_rng(seed)
    cols = []
    # last_q: ~0.97 over layers 0-4, then drops fast to ~0.65.
    cols.append(0.975 - 0.32 * smoothstep(layers, 4, 7) + 0.04 * smoothstep(layers, 26, 31))
    # first_answer / second_answer: ~0.95 until layer 10, easing to ~0.75 by the top.
    for offset in (0.0, -0.01):
        cols.append(0.955 + offset - 0.2 * smoothstep(layers, 10, 24))
    # exact_answer_*: high through layer 8, slow decline to ~0.75 over 20-30.
    for offset in (-0.01, 0.005, -0.005):
        cols.append(
            0.96 + offset - 0.11 * smoothstep(layers, 8, 20) - 0.1 * smoothstep(layers, 20, 31)
        )
    # -8 .. -1: 0.6-0.8, a bump up to ~0.85 in the middle layers.
    for k in range(8):
        base = 0.64 + 0.012 * k
        bump = 0.16 * np.exp(-(((layers - 15) / 5.0) ** 2))
        cols.append(base + bump - 0.03 * smoothstep(layers, 26, 31))
    values = np.stack(cols, axis=1) + rng.normal(0.0, 0.008, size=(N_LAYERS, len(TOKENS)))
    values = np.clip(np.round(values, 3), 0.5, 1.0)
    values[13, TOKENS.index("exact_answer_first")] = 0.843  # the readout example of the design
    return values


def main() -> None:
    here = Path(__file__).resolve().parent
    values = seed_values()
    with open(here / "seed_probe_auc.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(TOKENS)  # pandas df.to_csv(index=False): header, then one row per layer
        for row in values:
            writer.writerow([f"{v:.3f}" for v in row])
    doc = {
        "title": TITLE,
        "row_title": "Layer",
        "col_title": "Token",
        "row_labels": [str(i) for i in range(N_LAYERS)],
        "col_labels": TOKENS,
        "vmin": 0.5,
        "vmax": 1.0,
        "boxes": [BOX],
        "values": [[round(float(v), 3) for v in row] for row in values],
    }
    text = json.dumps(doc, indent=1)
    (here / "seed_probe_auc.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
