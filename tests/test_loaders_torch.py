""".pt files through torch.load(weights_only=True): tensors, attention tuples, dicts; never code."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from tuiheat.loaders import LoadError, load, load_tensor


def test_without_torch_the_error_says_how_to_install(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.pt"
    path.write_bytes(b"PK\x03\x04whatever")
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(LoadError, match=r"pip install 'tuiheat\[torch\]'"):
        load(str(path))


torch = pytest.importorskip("torch")


def test_single_tensor(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.pt"
    values = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    torch.save(values, path)
    m = load(str(path))
    assert m.as_float().tolist() == values.numpy().tolist()


def test_huggingface_attention_tuple_is_stacked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    layers = tuple(torch.rand(1, 4, 5, 5) for _ in range(3))  # [batch, heads, q, k] per layer
    path = tmp_path / "attn.pt"
    torch.save({"attentions": layers, "tokens": ["<s>", "a", "b", "c", "</s>"]}, path)
    t = load_tensor(str(path), key="attentions")
    assert t.shape == (3, 4, 5, 5)
    assert t.names == ("layer", "head", "q", "k")
    assert t.labels[2] == t.labels[3] == ("<s>", "a", "b", "c", "</s>")
    np.testing.assert_allclose(t.values[2, 1], layers[2][0, 1].numpy())


def test_dict_needs_a_key_when_ambiguous(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cache.pt"
    torch.save(
        {
            "blocks.0.attn.hook_pattern": torch.rand(1, 2, 3, 3),
            "blocks.1.attn.hook_pattern": torch.rand(1, 2, 3, 3),
        },
        path,
    )
    with pytest.raises(
        LoadError, match=r"pick one with --key: blocks\.0\.attn\.hook_pattern \(1×2×3×3 float32\)"
    ):
        load_tensor(str(path))
    assert load_tensor(str(path), key="blocks.1.attn.hook_pattern").shape == (2, 3, 3)


def test_bf16_and_fp16_become_float32(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for dtype in (torch.bfloat16, torch.float16):
        path = tmp_path / "h.pt"
        values = torch.tensor([[0.5, 1.25], [-2.0, 3.0]], dtype=dtype)
        torch.save(values, path)
        m = load(str(path))
        assert m.values.dtype == np.float32
        assert m.as_float().tolist() == [[0.5, 1.25], [-2.0, 3.0]]


def test_legacy_serialisation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "old.pt"
    torch.save(torch.ones(2, 2), path, _use_new_zipfile_serialization=False)
    assert load(str(path)).as_float().tolist() == [[1.0, 1.0], [1.0, 1.0]]


class Payload:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (open, (self.marker, "w"))


def test_a_pickle_that_would_run_code_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    torch.save({"x": torch.ones(2, 2), "y": Payload(str(marker))}, path)
    assert not marker.exists()
    with pytest.raises(LoadError, match="refused: its pickle asks for more than tensors"):
        load(str(path))
    assert not marker.exists()


def test_non_tensor_content(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "n.pt"
    torch.save({"a": 3, "b": "text"}, path)
    with pytest.raises(LoadError, match="no tensor among the entries"):
        load(str(path))
    path.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(LoadError, match="not a readable PyTorch file"):
        load(str(path))


def test_a_saved_attentions_tuple_is_one_tensor_with_a_layer_axis(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """torch.save(outputs.attentions): one [batch, heads, q, k] tensor per layer, nothing else."""
    layers = tuple(torch.rand(1, 3, 4, 4) for _ in range(5))
    path = tmp_path / "attentions.pt"
    torch.save(layers, path)
    t = load_tensor(str(path))
    assert t.shape == (5, 3, 4, 4) and t.names == ("layer", "head", "q", "k")
    np.testing.assert_allclose(t.values[4, 2], layers[4][0, 2].numpy())
    hidden = [torch.rand(1, 6, 8) for _ in range(3)]  # hidden states: [batch, tokens, d] per layer
    torch.save(hidden, path)
    assert load_tensor(str(path)).names == ("layer", "dim1", "dim2")


def test_a_dict_of_tensors_and_label_lists_is_a_bundle(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.loaders.base import ChooseArray

    path = tmp_path / "bundle.pt"
    torch.save(
        {
            "attentions": tuple(torch.rand(1, 12, 5, 5) for _ in range(6)),
            "probe_auc": torch.rand(6, 5),
            "tokens": [["<s>", "The", " cat", "\n", "</s>"]],  # a tokenizer's batch of one
            "layer_names": [f"block{i}" for i in range(6)],
            "head_ids": torch.arange(12),
            "title": "probe run 7",
        },
        path,
    )
    with pytest.raises(ChooseArray) as info:
        load_tensor(str(path))
    entries = {e.key: e for e in info.value.catalog.entries}
    assert [e.key for e in info.value.catalog.entries][:2] == ["attentions", "probe_auc"]
    assert entries["attentions"].shape == (6, 1, 12, 5, 5) and entries["tokens"].kind == "labels"
    attn = load_tensor(str(path), key="attentions")
    assert attn.names == ("layer", "head", "q", "k")
    assert attn.labels[0][0] == "block0" and attn.labels[1][11] == "11"
    assert attn.labels[2] == attn.labels[3] == ("<s>", "The", " cat", "\n", "</s>")
    assert attn.title == "probe run 7"
    auc = load_tensor(str(path), key="probe_auc")
    assert auc.labels[0][5] == "block5" and auc.labels[1][2] == " cat"
    assert auc.notes == ("head_ids [12] fits no axis, ignored",)


def test_a_list_of_unequal_tensors_is_a_bundle_by_index(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mixed.pt"
    torch.save([torch.rand(3, 4), torch.rand(5, 6)], path)
    with pytest.raises(LoadError, match=r"--key: 0 \(3×4 float32\), 1 \(5×6 float32\)"):
        load_tensor(str(path))
    assert load_tensor(str(path), key="1").shape == (5, 6)
