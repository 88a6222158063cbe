from __future__ import annotations

import pickle
import zipfile

import numpy as np
import pytest

from tuiheat.loaders import LoadError, load, load_tensor


def test_small_npy_is_copied_big_is_memory_mapped(save_npy, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.loaders import numpy_files

    small = load(str(save_npy("s.npy", np.ones((4, 4)))))
    assert not isinstance(small.values, np.memmap)  # a rewrite of the file cannot touch it
    monkeypatch.setattr(numpy_files, "COPY_BYTES", 0)
    data = np.random.default_rng(0).random((40, 30)).astype(np.float32)
    m = load(str(save_npy("a.npy", data)))
    assert isinstance(m.values, np.memmap)
    assert np.array_equal(m.as_float(), data.astype(np.float64))


@pytest.mark.parametrize(
    "dtype", ["bool", "int8", "uint16", "int64", "float16", ">f8", "longdouble"]
)
def test_real_dtypes(save_npy, dtype: str) -> None:  # type: ignore[no-untyped-def]
    data = (np.arange(6).reshape(2, 3) % 2 == 1) if dtype == "bool" else np.arange(6).reshape(2, 3)
    m = load(str(save_npy("a.npy", np.asarray(data).astype(dtype))))
    assert m.as_float().tolist() == np.asarray(data, dtype=np.float64).tolist()


def test_fortran_order(save_npy) -> None:  # type: ignore[no-untyped-def]
    data = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    assert load(str(save_npy("a.npy", data))).as_float().tolist() == data.tolist()


@pytest.mark.parametrize(
    ("array", "message"),
    [
        (np.zeros(5), "1-D"),
        (np.zeros((0, 3)), "empty"),
        (np.zeros((2, 2), dtype=complex), "complex"),
        (np.array([["a"]]), "text"),
        (np.array(3.0), "single number"),
        (np.zeros((2, 2), dtype="datetime64[s]"), "dates"),
        (np.zeros((2,), dtype=[("a", "f4"), ("b", "f4")]), "structured"),
    ],
)
def test_refused_arrays(save_npy, array: np.ndarray, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoadError, match=message):
        load(str(save_npy("a.npy", array)))


def test_length_one_axes_are_dropped(save_npy) -> None:  # type: ignore[no-untyped-def]
    m = load(str(save_npy("a.npy", np.zeros((1, 4, 1, 3)))))
    assert m.shape == (4, 3)


def test_object_array_is_never_unpickled(tmp_path) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (open, (str(marker), "w"))

    arr = np.empty((1, 1), dtype=object)
    arr[0, 0] = Payload()
    path = tmp_path / "evil.npy"
    np.save(path, arr, allow_pickle=True)
    with pytest.raises(LoadError, match="never unpickles"):
        load(str(path))
    assert not marker.exists()


def test_plain_pickle_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.pkl"
    path.write_bytes(pickle.dumps([[1, 2]]))
    with pytest.raises(LoadError, match="never unpickles"):
        load(str(path))
    renamed = tmp_path / "m.dat"
    renamed.write_bytes(pickle.dumps([[1, 2]]))
    with pytest.raises(LoadError, match="pickle"):
        load(str(renamed))


def test_truncated_npy(save_npy) -> None:  # type: ignore[no-untyped-def]
    path = save_npy("a.npy", np.zeros((100, 100)))
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(LoadError, match="truncated"):
        load(str(path))


def test_garbage_npy(write) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoadError, match=r"not a valid \.npy"):
        load(str(write("a.npy", b"\x93NUMPY\x01\x00garbage")))


def test_npz_single_array_with_labels(tmp_path, always_map) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.npz"
    np.savez(
        path, auc=np.ones((3, 2)), tokens=np.array(["a", "[b]"]), row_labels=np.array([0, 1, 2])
    )
    m = load(str(path))
    assert m.col_labels == ("a", "[b]")
    assert m.row_labels == ("0", "1", "2")
    assert isinstance(m.values, np.memmap)


def test_npz_tokens_fill_both_axes_when_square(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "attn.npz"
    np.savez_compressed(path, attn=np.eye(3), tokens=np.array(["x", "y", "z"]))
    m = load(str(path))
    assert m.row_labels == m.col_labels == ("x", "y", "z")
    assert m.as_float().tolist() == np.eye(3).tolist()


def test_npz_ambiguous_lists_members_and_key_picks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.npz"
    np.savez(path, a=np.zeros((2, 2)), b=np.ones((3, 4), dtype=np.float32))
    with pytest.raises(LoadError, match=r"--key: a \(2×2 float64\), b \(3×4 float32\)"):
        load(str(path))
    assert load(str(path), key="b").shape == (3, 4)
    with pytest.raises(LoadError, match="no member 'c'"):
        load(str(path), key="c")


def test_npz_object_labels_never_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.npz"
    np.savez(path, a=np.zeros((2, 2)), tokens=np.array([["x"], "y"], dtype=object))
    tensor = load_tensor(str(path))  # the array opens; the pickled labels are never read
    assert tensor.labels == (None, None)
    assert any("never unpickles" in note for note in tensor.notes)
    with pytest.raises(LoadError, match="never unpickles"):  # asked for by name: refused
        load(str(path), key="tokens")


def test_npz_member_size_checked_before_reading(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.npz"
    np.savez(path, a=np.zeros((50, 50)))
    raw = bytearray(path.read_bytes())
    # Lie in the npy header: claim a much larger shape than the member holds.
    idx = raw.find(b"(50, 50)")
    raw[idx : idx + 8] = b"(99, 99)"
    path.write_bytes(bytes(raw))
    with pytest.raises(LoadError, match=r"member .a. is truncated: its header promises 99×99"):
        load(str(path))


def test_not_a_zip(write) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoadError, match=r"not a valid \.npz"):
        load(str(write("a.npz", b"PK\x03\x04 nonsense")))


def test_npz_compressed_member(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.npz"
    np.savez_compressed(path, m=np.arange(6, dtype=np.int32).reshape(2, 3))
    with zipfile.ZipFile(path) as zf:
        assert zf.infolist()[0].compress_type == zipfile.ZIP_DEFLATED
    assert load(str(path)).as_float().tolist() == [[0, 1, 2], [3, 4, 5]]


def test_nd_arrays_load_as_tensors_with_names_and_tokens(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.loaders import load_tensor

    attn = np.random.default_rng(0).random((1, 2, 3, 4, 4)).astype(np.float32)
    path = tmp_path / "attn.npz"
    np.savez(
        path,
        attn=attn,
        tokens=np.array(["<s>", "a", "b", "c"]),
        axes=np.array(["layer", "head", "q", "k"]),
    )
    t = load_tensor(str(path))
    assert t.shape == (2, 3, 4, 4)  # the batch axis of length 1 is dropped
    assert t.names == ("layer", "head", "q", "k")
    assert t.labels[2] == t.labels[3] == ("<s>", "a", "b", "c")
    assert t.labels[0] is None
    m = load(str(path))
    assert m.shape == (4, 4) and m.row_title == "q" and m.col_labels[0] == "<s>"
    np.testing.assert_array_equal(m.as_float(), attn[0, 0, 0].astype(np.float64))


def test_axes_member_that_does_not_fit_is_a_note(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.npz"
    np.savez(path, x=np.zeros((2, 3, 4)), axes=np.array(["a", "b"]))
    tensor = load_tensor(str(path))
    assert tensor.names == ("dim0", "dim1", "dim2")
    assert tensor.notes == ("2 axis names do not fit a 3-D array, ignored",)


def test_npz_member_flagged_as_encrypted_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A flipped bit can mark a member encrypted; zipfile then raises RuntimeError."""
    path = tmp_path / "enc.npz"
    np.savez_compressed(path, m=np.eye(3))
    data = bytearray(path.read_bytes())
    for offset in (6, data.rindex(b"PK\x01\x02") + 8):  # the local and central flag words
        data[offset] |= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(LoadError, match=r"cannot be read .*encrypted"):
        load(str(path))


def test_a_batch_of_one_row_is_not_the_likely_array(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """input_ids [1, T] beside attention: labels, and the attention opens without --key."""
    path = tmp_path / "hf.npz"
    np.savez(
        path, attn=np.zeros((2, 3, 4, 4)), input_ids=np.arange(4)[None], scores=np.ones((1, 4))
    )
    tensor = load_tensor(str(path))
    assert tensor.shape == (2, 3, 4, 4)
    alone = tmp_path / "row.npz"
    np.savez(alone, scores=np.ones((1, 4)), tokens=np.array(list("abcd")))
    assert load_tensor(str(alone)).labels[1] == tuple("abcd")


def test_a_bundle_where_every_axis_has_one_length(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """32 layers, 32 heads, 32 tokens: the member names decide what each axis is."""
    n = 32
    path = tmp_path / "square.npz"
    np.savez(
        path,
        attention=np.zeros((n, n, n, n), np.float32),
        layer_by_token=np.zeros((n, n)),
        layer_by_head=np.zeros((n, n)),
        tokens=np.array([f"t{i}" for i in range(n)]),
        layer_labels=np.array([f"L{i}" for i in range(n)]),
        head_labels=np.array([f"H{i}" for i in range(n)]),
    )
    attn = load_tensor(str(path), key="attention")
    assert [labels[0] for labels in attn.labels] == ["L0", "H0", "t0", "t0"]
    by_token = load_tensor(str(path), key="layer_by_token")
    assert by_token.names == ("Layer", "Token")
    assert [labels[0] for labels in by_token.labels] == ["L0", "t0"]
    assert by_token.notes == ("head_labels [32] fits no head axis, ignored",)
    by_head = load_tensor(str(path), key="layer_by_head")
    assert by_head.names == ("Layer", "Head")
    assert [labels[0] for labels in by_head.labels] == ["L0", "H0"]


def _softmax(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    scores = np.random.default_rng(seed).normal(size=shape) * 2
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return (weights / weights.sum(axis=-1, keepdims=True)).astype(np.float32)


def test_attention_summaries_are_layer_by_token_and_layer_labels_name_the_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """attn_received and attn_from_cls are [layers, tokens]: not query × key, whatever
    their names say; layer_labels (6, as the rows) labels the rows."""
    from tuiheat.core.tensor import default_spec, slice_matrix

    attn = _softmax((6, 12, 17, 17))
    tokens = ["[CLS]", *(f"w{i}" for i in range(15)), "[SEP]"]
    path = tmp_path / "run.npz"
    np.savez(
        path,
        attn_received=attn.mean(axis=1).sum(axis=1),
        attn_from_cls=attn.mean(axis=1)[:, 0, :],  # rows sum to 1, but 6 × 17
        layer_labels=np.array([f"L{i}" for i in range(6)]),
        tokens=np.array(tokens),
    )
    for key in ("attn_received", "attn_from_cls"):
        tensor = load_tensor(str(path), key=key)
        assert tensor.names == ("Layer", "Token")
        assert tensor.labels == (tuple(f"L{i}" for i in range(6)), tuple(tokens))
        assert tensor.notes == ()
        matrix = slice_matrix(tensor, default_spec(tensor))
        assert (matrix.row_title, matrix.row_labels[2]) == ("Layer", "L2")  # the readout's words


def test_a_summary_beside_layers_of_another_length_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "run.npz"
    np.savez(path, attn_received=np.ones((30, 19)), layer_labels=np.arange(7))
    tensor = load_tensor(str(path))
    assert tensor.names == ("Layer", "Token")
    assert tensor.notes == ("layer_labels [7] fits no axis, ignored",)


def test_unnamed_attention_weights_are_layer_head_query_key(save_npy) -> None:  # type: ignore[no-untyped-def]
    four = load_tensor(str(save_npy("attn.npy", _softmax((8, 12, 24, 24)))))
    assert four.names == ("layer", "head", "query", "key")
    three = load_tensor(str(save_npy("heads.npy", _softmax((12, 24, 24)))))
    assert three.names == ("head", "query", "key")
    scores = np.random.default_rng(1).normal(size=(8, 12, 24, 24))
    assert load_tensor(str(save_npy("scores.npy", scores))).names == (
        "dim0",
        "dim1",
        "dim2",
        "dim3",
    )
    summary = load_tensor(str(save_npy("summary.npy", np.random.default_rng(2).random((30, 19)))))
    assert summary.names == ("Layer", "Token")


def test_a_label_vector_corrects_the_guessed_outer_axes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Attention [6, 17, 17] is guessed [head, q, k]; a layer vector of 6 says layer. With
    12 layers and 12 heads, a head vector goes to the axis heads usually are."""
    path = tmp_path / "run.npz"
    np.savez(path, attn=_softmax((6, 17, 17)), layers=np.arange(6), tokens=np.arange(17))
    tensor = load_tensor(str(path))
    assert tensor.names == ("layer", "query", "key") and tensor.labels[0] == tuple("012345")
    path = tmp_path / "square.npz"
    np.savez(
        path, weights=_softmax((12, 12, 5, 5)), head_names=np.array([f"H{i}" for i in range(12)])
    )
    tensor = load_tensor(str(path))
    assert tensor.names == ("layer", "head", "query", "key")
    assert tensor.labels[0] is None and tensor.labels[1][0] == "H0"


def test_a_layer_vector_as_long_as_only_query_and_key_is_refused_by_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "run.npz"
    np.savez(path, attn=_softmax((3, 4, 5, 5)), layer_labels=np.array(list("abcde")))
    tensor = load_tensor(str(path))
    assert tensor.labels == (None, None, None, None)
    assert tensor.notes == ("layer_labels [5] fits no layer axis, ignored",)
