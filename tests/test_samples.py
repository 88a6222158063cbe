"""The bundled samples are what their scripts say they are."""

from __future__ import annotations

import numpy as np

from tuiheat.loaders import load, load_tensor

from conftest import SAMPLES


def test_real_attention_sample() -> None:
    t = load_tensor(str(SAMPLES / "minilm_attention.npz"))
    assert t.shape == (6, 12, 17, 17)
    assert t.names == ("layer", "head", "q", "k")
    assert t.labels[2][0] == "[CLS]" and t.labels[2][-1] == "[SEP]"
    assert t.labels[2] == t.labels[3]
    rows = np.asarray(t.values, dtype=np.float64).sum(axis=-1)
    np.testing.assert_allclose(rows, 1.0, atol=1e-5)  # every query's attention sums to one
    assert t.title == "all-MiniLM-L6-v2 attention"


def test_seed_sample_csv_and_json_agree() -> None:
    a = load(str(SAMPLES / "seed_probe_auc.csv"))
    b = load(str(SAMPLES / "seed_probe_auc.json"))
    np.testing.assert_array_equal(a.as_float(), b.as_float())
    assert a.col_labels == b.col_labels
