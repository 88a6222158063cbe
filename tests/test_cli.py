"""The command line in-process: argument handling, print mode, one-line errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tuiheat.cli import main, parse_args

from conftest import packages_loaded_by

ESC = "\x1b"


def run(argv, capsys, monkeypatch, env=None):  # type: ignore[no-untyped-def]
    for k in ("NO_COLOR", "COLORTERM", "TERM"):
        monkeypatch.delenv(k, raising=False)
    for k, v in (env or {}).items():
        monkeypatch.setenv(k, v)
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_bare_command_prints_the_bundled_seed(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(["--print", "--color", "none", "--width", "100"], capsys, monkeypatch)
    assert code == 0 and err == ""
    assert "Error-detection probe AUC" in out
    assert "exact_answer_before_first" in out and "┌" in out


def test_print_mode_colours_when_piped(seed_csv, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run([str(seed_csv)], capsys, monkeypatch, {"COLORTERM": "truecolor"})
    assert code == 0
    assert "\x1b[48;2;" in out  # stdout is captured (not a tty): print mode, truecolor


def test_no_color_env_gives_plain_shades(seed_csv, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run([str(seed_csv)], capsys, monkeypatch, {"NO_COLOR": "1"})
    assert code == 0 and ESC not in out and "█" in out


def test_term_dumb_gives_plain(seed_csv, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = run([str(seed_csv)], capsys, monkeypatch, {"TERM": "dumb"})
    assert ESC not in out


def test_256_colour_flag(seed_csv, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = run([str(seed_csv), "--color", "256"], capsys, monkeypatch)
    assert "\x1b[48;5;" in out and "48;2;" not in out


def test_box_flag_is_drawn(seed_csv, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = run(
        [str(seed_csv), "--color", "none", "--box", "4-28:first_answer..-1"], capsys, monkeypatch
    )
    assert "┌" in out and "┘" in out and "Layer 4–28 × first_answer…-1" in out


def test_vmin_vmax_change_the_scale(seed_csv, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = run(
        [str(seed_csv), "--color", "none", "--vmin", "0", "--vmax", "2"], capsys, monkeypatch
    )
    assert "colour 0–2" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["/nonexistent/x.csv"], "tuiheat: error: /nonexistent/x.csv: no such file"),
        (
            ["--box", "4-28:nope"],
            "tuiheat: error: --box: box '4-28:nope': no column labelled 'nope'",
        ),
        (["--vmin", "2", "--vmax", "1"], "tuiheat: error: --vmin 2 is above --vmax 1"),
    ],
)
def test_errors_are_one_line_exit_2(argv, message, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(argv, capsys, monkeypatch)
    assert code == 2
    assert err == message + "\n"
    assert out == ""


def test_loader_error_names_the_file(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"values": [[1, 2], [3]]}))
    code, _, err = run([str(path)], capsys, monkeypatch)
    assert code == 2
    assert err.startswith(f"tuiheat: error: {path}: row 1 has 1 values")
    assert err.count("\n") == 1


def test_hostile_file_name_is_sanitised_in_errors(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    name = str(tmp_path / "x\x1b]0;t\x07.csv")
    code, _, err = run([name], capsys, monkeypatch)
    assert code == 2 and ESC not in err and "␛" in err


def test_bad_flag_values_exit_2(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exc:
        parse_args(["--vmin", "nan"])
    assert exc.value.code == 2
    assert "not a finite number" in capsys.readouterr().err


def test_npz_key(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.npz"
    np.savez(path, a=np.zeros((2, 2)), b=np.ones((3, 3)))
    code, _, err = run([str(path)], capsys, monkeypatch)
    assert code == 2 and "--key" in err
    code, out, _ = run([str(path), "--key", "b", "--color", "none"], capsys, monkeypatch)
    assert code == 0 and "3×3" in out


def test_boxes_flag_prints_one_line_per_box(seed_csv, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.core import Box
    from tuiheat.core.readout import format_value
    from tuiheat.core.stats import box_stats
    from tuiheat.loaders import load

    argv = [str(seed_csv), "--box", "4-28:first_answer..-1", "--box", "0:last_q", "--boxes"]
    code, out, err = run(argv, capsys, monkeypatch)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 2
    stats = box_stats(load(str(seed_csv)), Box(4, 28, 1, 13))
    assert lines[0].startswith("box 1 Layer 4–28 × first_answer…-1 (325 cells) │ mean ")
    assert f"mean {format_value(stats.mean)}" in lines[0]
    assert f"outside {format_value(stats.outside_mean)}" in lines[0]  # type: ignore[arg-type]
    assert lines[1].startswith("box 2 Layer 0 × last_q (1 cell) │ mean 0.975")


def test_saved_boxes_are_printed_and_a_bad_sidecar_warns(
    tmp_path, seed_csv, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "auc.csv"
    data.write_bytes(seed_csv.read_bytes())
    sidecar = tmp_path / "auc.csv.tuiheat.json"
    sidecar.write_text(
        '{"format": "tuiheat-boxes", "shape": [32, 14], "boxes": [{"rows": [1, 2], "cols": [0, 0]}]}'
    )
    code, out, _ = run([str(data), "--boxes"], capsys, monkeypatch)
    assert code == 0 and out.startswith("box 1 Layer 1–2 × last_q (2 cells)")
    code, out, _ = run([str(data), "--boxes", "--no-sidecar"], capsys, monkeypatch)
    assert code == 0 and out.startswith("no boxes")
    sidecar.write_text("{broken")
    code, out, err = run([str(data), "--color", "none"], capsys, monkeypatch)
    assert code == 0 and "32×14" in out
    assert err.startswith("tuiheat: warning: ") and "not valid JSON" in err
    assert sidecar.read_text() == "{broken"  # never rewritten behind the user's back


def test_nd_axes_slice_names_labels_and_text(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    attn = np.random.default_rng(0).random((2, 3, 4, 4))
    text = np.array(
        [
            [[[f"w{a}{b}{c}{d}" for d in range(4)] for c in range(4)] for b in range(3)]
            for a in range(2)
        ]
    )
    path = tmp_path / "attn.npz"
    np.savez(path, attn=attn, top=text)
    labels = tmp_path / "tokens.txt"
    labels.write_text("Ġa\nĠb\nĠc\nĊ\n")
    argv = [
        str(path),
        "--key",
        "attn",
        "--names",
        "layer,head,q,k",
        "--labels",
        str(labels),
        "--slice",
        "layer=1,head=mean",
        "--color",
        "none",
        "--print",
        "--width",
        "250",
    ]
    code, out, err = run(argv, capsys, monkeypatch)
    assert code == 0, err
    assert "attn.npz · attn [2,3,4,4] · layer 1 · head mean · q × k" in out  # member named
    assert "␣a" in out and "↵" in out
    code, out, _ = run(
        [
            str(path),
            "--key",
            "attn",
            "--axes",
            "0,3",
            "--slice",
            "1=2,2=0",
            "--color",
            "none",
            "--width",
            "250",
        ],
        capsys,
        monkeypatch,
    )
    # "attn" over square axes: query and key; layer and head are the usual outer axes.
    assert code == 0 and "head 2 · query 0 · layer × key" in out
    code, _, err = run(
        [str(path), "--key", "attn", "--text", "top", "--color", "none"], capsys, monkeypatch
    )
    assert code == 0 and err == ""
    code, _, err = run([str(path), "--key", "attn", "--axes", "query,nope"], capsys, monkeypatch)
    assert code == 2 and "no axis 'nope'" in err
    code, _, err = run(
        [str(path), "--key", "attn", "--labels", str(tmp_path / "none.txt")], capsys, monkeypatch
    )
    assert code == 2 and "--labels" in err


def test_center_and_log_in_print_mode(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "effect.npy"
    np.save(path, np.array([[-0.2, 0.0, 0.6], [0.1, 0.3, -0.4]]))
    code, out, _ = run([str(path), "--center", "0", "--color", "none"], capsys, monkeypatch)
    assert code == 0 and "colour -0.6–0.6 (rdbu_r)" in out
    np.save(path, np.array([[1e-4, 1e-2], [0.5, 0.0]]))
    code, out, _ = run([str(path), "--log", "--color", "none"], capsys, monkeypatch)
    assert code == 0 and "colour 0.0001–0.5" in out


def test_export_flag_writes_svg_html_and_csv_without_the_viewer(
    seed_csv, tmp_path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import xml.etree.ElementTree as ET

    for name in ("out.svg", "out.html", "out.csv"):
        target = tmp_path / name
        code, out, err = run([str(seed_csv), "--export", str(target)], capsys, monkeypatch)
        assert code == 0 and out == "" and f"wrote {target}" in err
    ET.parse(tmp_path / "out.svg")
    assert "exact_answer_before_first" in (tmp_path / "out.html").read_text()
    header = (tmp_path / "out.csv").read_text().splitlines()[0]
    assert header.startswith("Layer,last_q,first_answer") and header.endswith(",-2,-1")


def test_export_refuses_the_input_and_unknown_suffixes(
    seed_csv, tmp_path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    before = seed_csv.read_bytes()
    code, _, err = run([str(seed_csv), "--export", str(seed_csv)], capsys, monkeypatch)
    assert code == 2 and "refusing to overwrite the input" in err and err.count("\n") == 1
    assert seed_csv.read_bytes() == before
    code, _, err = run([str(seed_csv), "--export", str(tmp_path / "x.gif")], capsys, monkeypatch)
    assert code == 2 and ".png, .pdf, .svg, .html or .csv" in err
    code, _, err = run(
        [str(seed_csv), "--export", str(tmp_path / "missing" / "x.svg")], capsys, monkeypatch
    )
    assert code == 2 and "No such file or directory" in err


def test_two_files_print_and_export_their_difference(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import xml.etree.ElementTree as ET

    a = np.random.default_rng(3).random((4, 5))
    np.save(tmp_path / "run1.npy", a)
    np.save(tmp_path / "run2.npy", a - 0.25)
    one, two = str(tmp_path / "run1.npy"), str(tmp_path / "run2.npy")
    code, out, err = run([one, two, "--color", "none", "--width", "400"], capsys, monkeypatch)
    assert code == 0 and err == ""
    assert f"{one} − {two}" in out and "-0.25" in out and "0.25" in out  # symmetric scale
    code, _, err = run(
        [one, "--key", "x", two, "--export", str(tmp_path / "d.svg")], capsys, monkeypatch
    )
    assert code == 2 and "--key" in err  # options may sit between the files (the key is wrong)
    code, _, _ = run([one, two, "--export", str(tmp_path / "d.csv")], capsys, monkeypatch)
    rows = (tmp_path / "d.csv").read_text().splitlines()
    assert code == 0 and rows[1].split(",")[1:] == ["0.25"] * 5
    code, _, _ = run([one, two, "--export", str(tmp_path / "d.svg")], capsys, monkeypatch)
    ET.parse(tmp_path / "d.svg")
    two_csv = str(tmp_path / "run2.csv")
    assert run([two, "--export", two_csv], capsys, monkeypatch)[0] == 0
    before = (tmp_path / "run2.csv").read_text()
    code, _, err = run([one, two_csv, "--export", two_csv], capsys, monkeypatch)
    assert code == 2 and "refusing to overwrite the input" in err  # B is an input too
    assert (tmp_path / "run2.csv").read_text() == before


def test_two_files_that_do_not_compare(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    np.save(tmp_path / "a.npy", np.zeros((4, 5)))
    np.save(tmp_path / "b.npy", np.zeros((4, 6)))
    (tmp_path / "c.csv").write_text("layer,x,y\n0,0.5,0.6\n")
    (tmp_path / "d.csv").write_text("layer,x,z\n0,0.5,0.6\n")
    a, b = str(tmp_path / "a.npy"), str(tmp_path / "b.npy")
    code, out, err = run([a, b], capsys, monkeypatch)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "cannot compare" in err and "(4×5)" in err and "(4×6)" in err
    code, out, err = run(
        [str(tmp_path / "c.csv"), str(tmp_path / "d.csv"), "--color", "none"], capsys, monkeypatch
    )
    assert code == 0 and "warning" in err and "labels differ" in err and "'y' vs 'z'" in err
    code, _, err = run([a, a, b], capsys, monkeypatch)  # the third does not fit the first
    assert code == 2 and err.count("\n") == 1 and "b.npy (4×6)" in err
    code, _, err = run([a] * 7, capsys, monkeypatch)
    assert code == 2 and "at most 6 files to compare, not 7" in err
    code, _, err = run(["-", "-"], capsys, monkeypatch)
    assert code == 2 and "only one of the files can be standard input" in err


def test_three_files_print_each_minus_the_first(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    names = []
    for i, values in enumerate(([0.9, 0.8], [0.7, 0.8], [0.9, 0.4])):
        path = tmp_path / f"run{i + 1}.csv"
        path.write_text("layer,x,y\n0," + ",".join(map(str, values)) + "\n")
        names.append(path.name)
    code, out, err = run([*names, "--color", "none", "--print"], capsys, monkeypatch)
    assert code == 0 and err == ""
    # B − A then C − A, one after the other, on one range around 0 (the widest: ±0.4).
    first, second = out.index("run2.csv − run1.csv"), out.index("run3.csv − run1.csv")
    assert first < second and out.count("colour -0.4–0.4 (rdbu_r)") == 2
    code, _, err = run([*names, "--export", "x.svg"], capsys, monkeypatch)
    assert code == 2 and "--export takes one file, or two (A − B); 3 were given" in err
    assert not (tmp_path / "x.svg").exists()


def test_label_file_is_one_label_per_line_unless_it_is_a_json_list(
    tmp_path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.session.open import read_label_file

    lines = tmp_path / "tokens.txt"
    lines.write_text("[CLS]\n the\n \n[SEP]\n")  # a first line "[CLS]" is not JSON
    assert read_label_file(str(lines)) == ["[CLS]", " the", " ", "[SEP]"]
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"a\r\nb\r\n")
    assert read_label_file(str(crlf)) == ["a", "b"]
    listed = tmp_path / "tokens.json.txt"
    listed.write_text('["[CLS]", "\\n", " a"]')
    assert read_label_file(str(listed)) == ["[CLS]", "\n", " a"]
    path = tmp_path / "m.npy"
    np.save(path, np.zeros((2, 4)))
    code, out, err = run(
        [str(path), "--labels", str(lines), "--color", "none", "--width", "100"],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    assert "[CLS]" in out and "␣the" in out and "[SEP]" in out


def test_facet_prints_every_panel_on_one_range(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    values = np.stack([np.full((2, 3, 3), 0.1 * (h + 1)) for h in range(4)], axis=1)
    values[1, 3, 0, 0] = 1.0  # one cell of the last head of layer 1 sets the range's top
    monkeypatch.chdir(tmp_path)
    path = "attn.npy"
    np.save(path, values)
    argv = [path, "--names", "layer,head,q,k", "--color", "none", "--print"]
    code, out, err = run([*argv, "--facet", "head"], capsys, monkeypatch)
    assert code == 0 and err == ""
    titles = [line for line in out.splitlines() if "· q × k" in line]
    assert [t.split(" · ")[2] for t in titles] == ["head 0", "head 1", "head 2", "head 3"]
    assert out.count("colour 0.1–1") == 4  # one range: the whole tensor's, for every panel
    code, _, err = run([*argv, "--facet", "q"], capsys, monkeypatch)
    assert code == 2 and err == (
        "tuiheat: error: --facet: q is on screen; facet one of the other axes: layer, head\n"
    )
    code, _, err = run([*argv, "--facet", "heads"], capsys, monkeypatch)
    assert code == 2 and "no axis 'heads'; axes: layer, head, q, k" in err
    code, _, err = run([*argv, "--facet", "1", "--export", "x.svg"], capsys, monkeypatch)
    assert code == 2 and "--export takes one slice: choose it with --slice" in err
    code, _, err = run([*argv, "--facet", "1", path], capsys, monkeypatch)
    assert code == 2 and "--facet lays out the panels of one file" in err


def test_a_box_on_an_nd_array_keeps_the_slice(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # --box once shadowed the slice and crashed on any array of 3 or more axes
    path = tmp_path / "cube.npy"
    np.save(path, np.random.default_rng(0).random((2, 4, 5)))
    code, out, err = run([str(path), "--box", "1-2:1-3", "--boxes"], capsys, monkeypatch)
    assert code == 0 and err == "" and out.startswith("box 1")


def test_print_fits_a_big_matrix_to_80_columns_of_a_pipe(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from rich.cells import cell_len

    values = np.random.default_rng(0).random((2000, 2000)).astype(np.float32)
    path = tmp_path / "big.npy"
    np.save(path, values)
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    code, out, _ = run([str(path), "--print", "--color", "none"], capsys, monkeypatch)
    assert code == 0
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= 80  # a pipe without $COLUMNS: 80
    assert "2000×2000 shown as 63×16: each cell the mean of 32×128" in out
    assert sum(1 for line in lines if line.lstrip().split(" ")[0].isdigit()) <= 64


def test_print_reducer_full_and_width(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    values = np.arange(300 * 50, dtype=float).reshape(300, 50)
    path = tmp_path / "tall.npy"
    np.save(path, values)
    _, out, _ = run(
        [str(path), "--print", "--color", "none", "--reducer", "max", "--width", "60"],
        capsys,
        monkeypatch,
    )
    assert "the max of 8×4 values" in out
    _, out, _ = run([str(path), "--print", "--color", "none", "--full"], capsys, monkeypatch)
    assert "shown as" not in out and "  299 " in out  # every row, labelled


def test_fitted_for_print_is_exact_and_labels_each_block() -> None:
    from tuiheat.core.matrix import HeatMatrix
    from tuiheat.core.zoom import block_labels
    from tuiheat.session.static import fitted_for_print

    values = np.random.default_rng(1).random((256, 1000))
    values[0, 0] = np.nan
    matrix = HeatMatrix(values, col_labels=tuple(f"t{i}" for i in range(1000)))
    view, note = fitted_for_print(matrix, 80, 64, "mean")
    fr, fc = 4, 64
    assert view.shape == (64, -(-1000 // fc)) and f"{fr}×{fc}" in note
    block = values[:fr, fc : 2 * fc]
    assert view.value(0, 1) == pytest.approx(block.mean())
    assert view.value(0, 0) == pytest.approx(np.nanmean(values[:fr, :fc]))
    assert view.col_labels[:2] == ("t0", "t64")
    assert block_labels(matrix.col_labels, fc)[1] == "t64…t127"
    same, none = fitted_for_print(matrix, 10_000, 1000, "mean")
    assert same is matrix and none == ""


def test_the_command_module_imports_neither_numpy_nor_textual() -> None:
    """``tuiheat --help`` and ``--version`` answer before any of the heavy imports."""
    assert packages_loaded_by("import tuiheat.cli", ("numpy", "textual", "rich")) == []


def test_unnamed_attention_facets_by_head_and_unnamed_axes_suggest_names(
    tmp_path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    weights = np.exp(rng.normal(size=(3, 4, 6, 6)))
    path = tmp_path / "attn.npy"
    np.save(path, weights / weights.sum(axis=-1, keepdims=True))
    argv = [str(path), "--facet", "head", "--color", "none", "--width", "300"]
    code, out, err = run(argv, capsys, monkeypatch)
    assert code == 0, err
    assert "attn.npy [3,4,6,6] · layer 0 · head 3 · query × key" in out  # the fourth panel
    np.save(path, rng.normal(size=(3, 4, 6, 6)))  # scores, not weights: the axes stay unnamed
    for flag, value in (("--facet", "head"), ("--slice", "head=1"), ("--axes", "query,key")):
        code, _, err = run([str(path), flag, value], capsys, monkeypatch)
        assert code == 2 and "axes: dim0, dim1, dim2, dim3" in err
        assert err.rstrip().endswith("name them, e.g. --names layer,head,query,key")
