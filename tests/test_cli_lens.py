"""The logit lens from the command line, in-process: the top-1 grid and where each
answer settles, one cell's top k, a tracked token; stored top k and full distributions."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from tuiheat.cli import main

L, P, V, K = 6, 5, 50, 5
PROMPT = ["The", "Ġcapital", "Ġof", "ĠFrance", "Ġis"]


def run(argv, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    for name in ("NO_COLOR", "COLORTERM", "TERM", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def lens_files(tmp_path):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(L, P, V)) * 3
    logits[3:, 4, 7] += 20  # " Paris" wins at the last position from layer 3 on
    p = np.exp(logits - logits.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    ids = np.argsort(-p, axis=-1, kind="stable")[..., :K]
    vocab = np.array([f"Ġw{i}" for i in range(V)], dtype="<U10")
    vocab[7], vocab[8] = "ĠParis", "ĠParis"  # two ids that read alike: never merged
    stored = tmp_path / "lens.npz"
    np.savez(
        stored,
        topk_ids=ids.astype(np.int32),
        topk_probs=np.take_along_axis(p, ids, -1).astype(np.float32),
        top_tokens=vocab[ids],
        tokens=np.array(PROMPT),
    )
    full = tmp_path / "logits.npy"
    np.save(full, logits.astype(np.float32))
    return stored, full, logits.astype(np.float32).astype(np.float64), p, ids


def test_the_top1_grid_and_where_each_answer_settles(lens_files, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stored, _, _, _, ids = lens_files
    code, out, err = run(
        [stored, "--print", "--color", "none", "--width", "120"], capsys, monkeypatch
    )
    assert code == 0 and err == ""
    top1 = ids[..., 0]
    settled = [
        int(np.flatnonzero(np.logical_and.accumulate((top1 == top1[-1])[::-1, q])[::-1])[0])
        for q in range(P)
    ]
    lines = out.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("answer first top-1")))
    assert len(lines[at + 1 :]) == P
    assert (
        lines[at + 5] == f"  position 4 '␣is': '␣Paris' from layer {settled[4]}" and settled[4] == 3
    )
    assert "top-1" in lines[0] and "6×5" in out


def test_one_cells_top_k_as_a_table(lens_files, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stored, full, logits, p, _ = lens_files
    code, out, _ = run([stored, "--print", "--cell", "5,␣is", "--topk", "3"], capsys, monkeypatch)
    rows = out.splitlines()
    assert code == 0 and rows[0] == "top 3 at layer 5, position 4 '␣is'"
    assert [float(r.split("p ")[1]) for r in rows[1:]] == pytest.approx(
        np.sort(p[5, 4])[::-1][:3], abs=1e-4
    )
    code, out, err = run(
        [full, "--lens", "--print", "--cell=-1,-1", "--topk", "4"], capsys, monkeypatch
    )
    rows = out.splitlines()
    best = np.argsort(-logits[-1, -1], kind="stable")[:4]
    assert code == 0 and [r.split()[1] for r in rows[1:]] == [f"'{i}'" for i in best]
    logit = [float(r.split("logit ")[1]) for r in rows[1:]]
    assert logit == pytest.approx(logits[-1, -1, best], abs=1e-3)
    assert "the lens holds logits" in err and "give --tokenizer" in err


def test_a_tracked_token_colours_every_cell_and_says_where_it_wins(
    lens_files, tmp_path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    stored, full, logits, p, ids = lens_files
    target = tmp_path / "paris.csv"
    code, _, _ = run([stored, "--track", " Paris", "--export", target], capsys, monkeypatch)
    rows = list(csv.reader(target.read_text().splitlines()))[1:]
    got = np.array([[float(x) if x else np.nan for x in row[1:]] for row in rows])
    present = (ids == 7).any(-1)  # id 7 only: id 8 reads the same but is another token
    assert code == 0 and got.shape == (L, P)
    np.testing.assert_allclose(got[present], p[..., 7][present], rtol=1e-5)
    assert np.isnan(got[~present]).all()  # absent from the top k: unknown, not made up
    code, out, _ = run(
        [stored, "--print", "--track", " Paris", "--color", "none"], capsys, monkeypatch
    )
    assert (
        code == 0
        and "  position 4 '␣is': in the top 5 at layer" in out
        and "top-1 at layer 3" in out
    )
    code, out, _ = run(
        [full, "--lens", "--print", "--track", "#7", "--color", "none"], capsys, monkeypatch
    )
    ranks = 1 + (logits > logits[..., 7:8]).sum(-1)
    first_top = int(np.flatnonzero(ranks[:, 4] == 1)[0])
    assert (
        code == 0
        and "position 4: in the top 10 at layer" in out
        and f"top-1 at layer {first_top}" in out
    )


def test_mistakes_are_one_line(lens_files, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stored, full, *_ = lens_files
    for argv, said in (
        ([stored, "--print", "--track", "Berlin"], "--track 'Berlin': no such token"),
        ([stored, "--print", "--topk-tokens", "topk_ids"], "give --topk-probs too"),
        ([stored, "--print", "--cell", "9,0"], "--cell '9,0'"),
        ([full, "--print", "--track", "#7"], "no logit lens found"),
    ):
        code, out, err = run(argv, capsys, monkeypatch)
        assert code == 2 and err.startswith("tuiheat: error: ") and said in err, err
        assert err.count("\n") == 1 and out == ""


def test_what_a_new_user_ran_into(lens_files, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Logits named probs, a NaN at a stored rank 1, ids that read alike, #ID out of range,
    a tokenizer of another model, --cell without a comma."""
    stored, full, logits, p, ids = lens_files
    misnamed = tmp_path / "misnamed.npz"
    top_logits = np.take_along_axis(logits, ids, -1).astype(np.float32)
    np.savez(misnamed, topk_ids=ids.astype(np.int32), topk_probs=top_logits)
    code, out, err = run([misnamed, "--print", "--cell", "4,4", "--topk", "2"], capsys, monkeypatch)
    assert (
        code == 0
        and "logit " in out
        and " p " not in out
        and "holds logits (by their values)" in err
    )
    nan = tmp_path / "nan.npz"
    probs = np.take_along_axis(p, ids, -1).astype(np.float32)
    probs[5, 2, 0] = np.nan
    np.savez(nan, topk_ids=ids.astype(np.int32), topk_probs=probs)
    code, out, _ = run([nan, "--print", "--cell", "5,2", "--topk", "2"], capsys, monkeypatch)
    assert out.splitlines()[1].split()[:2] == ["1", f"'{ids[5, 2, 0]}'"]  # the file's rank 1 stays
    alike = tmp_path / "alike.npz"  # ids 7 and 8 both read ĠParis, in one cell
    np.savez(
        alike,
        topk_ids=np.tile(np.array([7, 8, 3], np.int32), (2, 2, 1)),
        topk_probs=np.tile(np.array([0.5, 0.3, 0.1], np.float32), (2, 2, 1)),
        top_tokens=np.tile(np.array(["ĠParis", "ĠParis", "Ġthe"]), (2, 2, 1)),
    )
    code, out, _ = run([alike, "--print", "--cell", "0,0"], capsys, monkeypatch)
    assert [line.split()[1] for line in out.splitlines()[1:]] == ["'␣Paris", "'␣Paris", "'␣the'"]
    assert "#7'" in out and "#8'" in out  # read alike, told apart
    code, _, err = run([full, "--lens", "--print", "--track", "#999"], capsys, monkeypatch)
    assert code == 2 and "token id 999 is outside the vocabulary of 50" in err
    code, _, err = run([stored, "--print", "--cell", "0"], capsys, monkeypatch)
    assert code == 2 and "give ROW,COL" in err
