"""The command line's head summary (--summary) and token text (--as-text), in-process."""

from __future__ import annotations

import csv
import json
import re

import numpy as np
import pytest

from tuiheat.cli import main
from tuiheat.core.headstats import HEAD_STATS, head_summary

ESC = "\x1b"
TOKENS = ["The", "Ġcapital", "Ġof", "ĠFrance", "Ġis", "ĠParis"]


def run(argv, capsys, monkeypatch, env=None):  # type: ignore[no-untyped-def]
    for k in ("NO_COLOR", "COLORTERM", "TERM", "COLUMNS"):
        monkeypatch.delenv(k, raising=False)
    for k, v in (env or {}).items():
        monkeypatch.setenv(k, v)
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def attention(shape: tuple[int, ...] = (2, 3, 6, 6), seed: int = 0) -> np.ndarray:
    """Causal softmax rows, float32."""
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=shape) * 2
    q, k = np.indices(shape[-2:])
    scores = np.where(k > q, -np.inf, scores)
    p = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return (p / p.sum(axis=-1, keepdims=True)).astype(np.float32)


def exported(path) -> np.ndarray:  # type: ignore[no-untyped-def]
    rows = list(csv.reader(path.read_text().splitlines()))
    return np.array([[float(x) for x in row[1:]] for row in rows[1:]])


def test_the_summary_is_printed_exported_and_boxed(save_npy, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    p = attention()
    path = save_npy("attn.npy", p)
    argv = [path, "--summary", "entropy", "--print", "--color", "none", "--width", "200"]
    code, out, err = run(argv, capsys, monkeypatch)
    assert code == 0 and err == ""
    assert out.splitlines()[0].endswith("attn.npy: entropy per head") and "2×3" in out
    target = tmp_path / "entropy.csv"
    code, _, err = run([path, "--summary", "entropy", "--export", target], capsys, monkeypatch)
    assert code == 0 and "wrote" in err
    np.testing.assert_allclose(exported(target), head_summary(p, "entropy").values, atol=1e-6)
    code, out, _ = run(
        [path, "--summary", "max", "--box", "1:0..1", "--boxes", "--json"], capsys, monkeypatch
    )
    record = json.loads(out)[0]
    assert code == 0 and record["mean"] == pytest.approx(
        head_summary(p, "max").values[1, :2].mean()
    )


def test_names_slices_and_axes_reach_the_summary(save_npy, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    p = attention((2, 2, 3, 5, 5))  # [layer, batch, head, q, k] with a batch of 2
    path = save_npy("stacked.npy", np.transpose(p, (4, 3, 2, 1, 0)))  # k, q, head, batch, layer
    names = ["--names", "key,query,head,batch,layer"]
    code, _, err = run([path, *names, "--summary", "diag", "--print"], capsys, monkeypatch)
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("tuiheat: error: --summary: axis batch (length 2) is not a layer")
    assert "--slice batch=0" in err
    target = tmp_path / "diag.csv"
    argv = [path, *names, "--slice", "batch=1", "--summary", "diag", "--axes", "head,layer"]
    code, _, err = run([*argv, "--export", target], capsys, monkeypatch)
    assert code == 0, err
    np.testing.assert_allclose(exported(target), head_summary(p[:, 1], "diag").values.T, atol=1e-6)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--summary", "entropy"],
            "--summary: a head summary needs layer, head, query and key axes",
        ),
        (["--summary", "max", "--slice", "dim1=mean"], "--summary reads each head at one index"),
        (["--summary", "max", "--facet", "dim0"], "--summary shows one layer × head grid"),
        (["--as-text", "0", "--export", "x.csv"], "--as-text prints text: leave out --export"),
        (
            ["--as-text", "0"],
            "--as-text: the column axis (Token) has no tokens; give them with --labels",
        ),
    ],
)
def test_errors_are_one_line(argv, message, save_npy, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = save_npy("grid.npy", np.arange(12.0).reshape(4, 3))
    code, out, err = run([path, "--print", *argv], capsys, monkeypatch)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"tuiheat: error: {message}"), err


def test_rows_of_nan_are_counted_in_a_warning(save_npy, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    p = attention()
    p[1, 2, 3] = np.nan
    code, _, err = run([save_npy("a.npy", p), "--summary", "first", "--print"], capsys, monkeypatch)
    assert code == 0 and err == "tuiheat: warning: 1 query row held NaN and was left out\n"


def test_help_says_what_each_statistic_is(capsys) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.session.arguments import SUMMARY_STATS, build_parser

    assert SUMMARY_STATS == HEAD_STATS
    action = next(a for a in build_parser()._actions if "--summary" in a.option_strings)
    assert tuple(action.choices) == tuple(HEAD_STATS)
    for name, meaning in HEAD_STATS.items():
        assert f"{name}: {meaning}" in action.help
    assert "over the query rows; a row holding NaN is left out" in action.help


def test_the_viewer_is_told_and_computes_the_summary_itself(save_npy, write, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tuiheat import cli, launch
    from tuiheat.session.config import ViewerConfig

    path = save_npy("attn.npy", attention())
    seen = {}
    monkeypatch.setattr(cli, "use_tui", lambda options: True)
    monkeypatch.setattr(
        cli, "run_viewer", lambda loaded, options, *a: seen.update(l=loaded, o=options)
    )
    labels = ["--labels", tokens_file(write)]
    assert main([str(path), *labels, "--summary", "prev", "--as-text", "-1"]) == 0
    assert seen["l"].tensor.shape == (2, 3, 6, 6)  # the file itself: nothing computed yet
    config = ViewerConfig(**launch.viewer_settings(seen["o"], "truecolor", None))
    assert (config.summary, config.as_text) == ("prev", "-1")
    assert ViewerConfig().summary is None and ViewerConfig().as_text is None
    seen.clear()
    assert main([str(path), *labels, "--as-text", "9"]) == 2 and not seen  # before the screen
    assert main([str(path), "--as-text", "0"]) == 2 and not seen  # no tokens


def tokens_file(write) -> str:  # type: ignore[no-untyped-def]
    return str(write("tokens.json", json.dumps(TOKENS)))


def test_a_row_as_text_without_colour(save_npy, write, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    values = np.linspace(0, 1, 36).reshape(6, 6)
    values[-1] = [0.5, 0.83, 0.1, 0.2, 0.4, 0.99]
    path = save_npy("grid.npy", values)
    argv = [path, "--labels", tokens_file(write), "--as-text", "-1", "--width", "60"]
    code, out, err = run(argv, capsys, monkeypatch, {"NO_COLOR": "1"})
    assert code == 0 and err == "" and ESC not in out
    assert out.splitlines()[2] == "The[0.50] capital[0.83] of[0.10] France[0.20] is[0.40]"
    assert out.splitlines()[3] == "Paris[0.99]"
    _, by_label, _ = run([*argv[:3], "--as-text", "␣Paris", "--color", "none"], capsys, monkeypatch)
    assert "The[0.50] capital[0.83]" in by_label  # the row labelled ␣Paris (ĠParis): the last
    code, _, err = run([*argv[:3], "--as-text", "7"], capsys, monkeypatch)
    assert code == 2
    assert (
        err == "tuiheat: error: --as-text: row index 7 is outside 0..5 (or -6..-1 from the end)\n"
    )


@pytest.mark.parametrize(
    ("mode", "background"),
    [("truecolor", r"48;2;\d+;\d+;\d+"), ("256", r"48;5;\d+"), ("16", r"(?:4[0-7]|10[0-7])")],
)
def test_a_row_as_text_in_every_colour_mode(
    mode, background, save_npy, write, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    path = save_npy("grid.npy", np.linspace(0, 1, 36).reshape(6, 6))
    argv = [path, "--labels", tokens_file(write), "--as-text", "2", "--color", mode]
    status, out, _ = run(argv, capsys, monkeypatch)
    line = out.splitlines()[2]  # the text: every token on a background of this mode only
    backgrounds = re.findall(r"\x1b\[([0-9;]*)m", line)
    assert status == 0 and len(backgrounds) >= len(TOKENS)
    assert all(re.search(rf"(?:^|;){background}(?:;|$)", b) for b in backgrounds if b != "0")
    assert re.sub(r"\x1b\[[0-9;]*m", "", line) == "The capital of France is Paris"


def test_a_slice_of_a_tensor_as_text_on_the_print_scale(
    save_npy, write, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    p = attention((2, 3, 6, 6))
    path = save_npy("attn.npy", p)
    argv = [path, "--labels", tokens_file(write), "--slice", "layer=1,head=2", "--as-text", "#4"]
    code, out, err = run([*argv, "--color", "none", "--width", "200"], capsys, monkeypatch)
    row = p[1, 2, 4]
    expected = " ".join(f"{t.lstrip('Ġ')}[{v:.2f}]" for t, v in zip(TOKENS, row, strict=True))
    assert code == 0, err
    assert out.splitlines()[2] == expected
    assert "colour 0–1" in out  # the whole tensor's range, as the heatmap would be printed
    code, _, err = run([path, "--summary", "max", "--as-text", "0"], capsys, monkeypatch)
    assert code == 2 and "the column axis (head) has no tokens" in err


def test_the_advice_for_a_batch_works_and_max_is_not_read_as_auc(
    save_npy, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    p = attention((2, 2, 3, 6, 6))  # unnamed [layer, batch, head, q, k], a batch of 2
    path = save_npy("batched.npy", p)
    code, _, err = run([path, "--summary", "max", "--print"], capsys, monkeypatch)
    advice = re.search(r"e\.g\. (--names \S+) (--slice \S+)", err)
    assert code == 2 and advice is not None
    argv = [path, *advice.group(1).split(), *advice.group(2).split(), "--summary", "max"]
    code, out, err = run([*argv, "--print", "--color", "none"], capsys, monkeypatch)
    assert code == 0 and err == ""
    # max per head is not an AUC: coloured over its own range, no cell marked below 0.5
    expected = head_summary(p[:, 0], "max").values
    assert "AUC" not in out and "below 0.5" not in out
    assert f"colour {expected.min():.3g}" in out  # its own range, from its lowest head
