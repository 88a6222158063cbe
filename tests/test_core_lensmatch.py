"""Which arrays of a bundle make a logit lens, from the catalog alone."""

from __future__ import annotations

import pytest

from tuiheat.core.catalog import Catalog, Entry
from tuiheat.core.lensmatch import LensMatchError, LensMembers, find_lens


def catalog(*entries: tuple[str, tuple[int, ...], str]) -> Catalog:
    kinds = {"<U": "text"}
    return Catalog(
        "x.npz",
        tuple(Entry(k, kinds.get(d[:2], "heatmap"), shape, d) for k, shape, d in entries),
    )


def test_a_top_k_pair_is_found_by_name_and_shape_ids_before_strings() -> None:
    found = find_lens(
        catalog(
            ("tokens", (12,), "<U8"),
            ("top_tokens", (6, 12, 10), "<U8"),
            ("topk_ids", (6, 12, 10), "int32"),
            ("topk_probs", (6, 12, 10), "float32"),
            ("attn", (6, 4, 12, 12), "float32"),
        )
    )
    assert found == LensMembers("topk_ids", "topk_probs", names="top_tokens", said="probs")
    strings = find_lens(
        catalog(("lens_top_token", (6, 12), "<U8"), ("lens_top_prob", (6, 12), "float16"))
    )
    assert strings == LensMembers("lens_top_token", "lens_top_prob", said="probs")
    logits = find_lens(
        catalog(("top_ids", (6, 12, 5), "int64"), ("top_logits", (6, 12, 5), "float32"))
    )
    assert logits is not None and logits.said == "logits"


def test_shapes_must_agree_and_a_full_distribution_is_a_long_last_axis() -> None:
    assert (
        find_lens(
            catalog(("topk_ids", (6, 12, 10), "int32"), ("topk_probs", (6, 12, 5), "float32"))
        )
        is None
    )
    full = find_lens(catalog(("logits", (31, 128, 50257), "float16"), ("tokens", (128,), "<U8")))
    assert full == LensMembers(full="logits", said="logits")
    assert find_lens(catalog(("probe_auc", (31, 128, 5000), "float32"))) is None  # not named so
    assert find_lens(catalog(("probs", (31, 128, 50), "float32"))) is None  # not a vocabulary


def test_named_members_win_and_mistakes_are_one_line() -> None:
    cat = catalog(("a", (2, 3, 4), "int32"), ("b", (2, 3, 4), "float32"), ("c", (2, 3), "float32"))
    assert find_lens(cat, "a", "b") == LensMembers("a", "b")
    with pytest.raises(LensMatchError, match="give --topk-probs too"):
        find_lens(cat, "a", None)
    with pytest.raises(
        LensMatchError, match=r"--topk-probs 'zz': no such array; the file holds a \(2×3×4 int32\)"
    ):
        find_lens(cat, "a", "zz")
    with pytest.raises(LensMatchError, match="must have one shape"):
        find_lens(cat, "a", "c")


def test_safetensors_and_json_dtypes_are_read_too() -> None:
    st = find_lens(catalog(("topk_ids", (6, 12, 10), "I32"), ("topk_probs", (6, 12, 10), "F16")))
    assert st == LensMembers("topk_ids", "topk_probs", said="probs")
    js = find_lens(
        catalog(("topk_ids", (6, 12, 10), "number"), ("topk_probs", (6, 12, 10), "number"))
    )
    assert js == LensMembers("topk_ids", "topk_probs", said="probs")
