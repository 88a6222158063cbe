from __future__ import annotations

import math

import numpy as np
import pytest

from tuiheat.loaders import LoadError, load, load_tensor


def test_seed_csv_pandas_layout_without_index(seed_csv) -> None:  # type: ignore[no-untyped-def]
    m = load(str(seed_csv))
    assert m.shape == (32, 14)
    assert m.row_labels[:3] == ("0", "1", "2")
    assert m.col_labels[0] == "last_q" and m.col_labels[-1] == "-1"
    assert m.row_title == "Layer" and m.col_title == "Token"
    first_line = seed_csv.read_text().splitlines()[1].split(",")
    assert m.values[0].tolist() == [float(x) for x in first_line]


def test_pandas_index_with_blank_corner(write) -> None:  # type: ignore[no-untyped-def]
    m = load(str(write("a.csv", ",a,b\n0,0.5,0.6\n1,0.7,0.8\n")))
    assert m.row_labels == ("0", "1") and m.col_labels == ("a", "b")
    assert m.values.tolist() == [[0.5, 0.6], [0.7, 0.8]]


def test_named_index_becomes_row_title(write) -> None:  # type: ignore[no-untyped-def]
    m = load(str(write("a.csv", "layer,a,b\n0,0.5,0.6\n1,0.7,0.8\n")))
    assert m.row_title == "layer"
    assert m.col_labels == ("a", "b")
    assert m.shape == (2, 2)


def test_text_row_labels(write) -> None:  # type: ignore[no-untyped-def]
    m = load(str(write("a.csv", "model,x,y\nllama,1,2\nmistral,3,4\n")))
    assert m.row_labels == ("llama", "mistral")
    assert m.row_title == "model"


def test_integer_column_positions_header(write) -> None:  # type: ignore[no-untyped-def]
    m = load(str(write("a.csv", "-2,-1\n0.5,0.25\n0.1,0.2\n")))
    assert m.col_labels == ("-2", "-1")
    assert m.shape == (2, 2)


def test_savetxt_without_header(write) -> None:  # type: ignore[no-untyped-def]
    m = load(str(write("a.csv", "1.5e-01,2.0e-01\n3.0e-01,4.0e-01\n")))
    assert m.shape == (2, 2)
    assert m.col_labels == ("0", "1")


def test_tsv_and_empty_cells_are_nan(write) -> None:  # type: ignore[no-untyped-def]
    m = load(str(write("a.tsv", "a\tb\tc\n0.1\t\t0.3\nNaN\t0.5\t0.6\n")))
    assert m.shape == (2, 3)
    assert math.isnan(m.values[0, 1]) and math.isnan(m.values[1, 0])


def test_bad_cell_names_line_and_column(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.csv", "a,b\n0.1,0.2\n0.3,oops\n")
    with pytest.raises(LoadError, match=r"line 3, column 'b': 'oops' is not a number"):
        load(str(path))


def test_ragged_rows(write) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoadError, match="line 3 has 3 cells but the header has 2"):
        load(str(write("a.csv", "a,b\n1,2\n1,2,3\n")))


def test_header_only(write) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoadError, match="no data rows"):
        load(str(write("a.csv", "a,b\n")))


def test_blank_lines_and_bom_and_crlf(write) -> None:  # type: ignore[no-untyped-def]
    m = load(str(write("a.csv", "\ufeffa,b\r\n\r\n1,2\r\n3,4\r\n\r\n")))
    assert m.col_labels == ("a", "b")
    assert m.values.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_quoted_labels_with_commas_and_markup(write) -> None:  # type: ignore[no-untyped-def]
    m = load(str(write("a.csv", '"[/INST]","a,b"\n1,2\n')))
    assert m.col_labels == ("[/INST]", "a,b")


def test_stdin(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a,b\n1,2\n")))
    m = load("-")
    assert m.values.tolist() == [[1.0, 2.0]]


def test_values_are_float64(write) -> None:  # type: ignore[no-untyped-def]
    assert load(str(write("a.csv", "a\n1\n"))).values.dtype == np.float64


def test_labels_keep_their_spaces(write) -> None:  # type: ignore[no-untyped-def]
    """ " the" and "the" are different tokens: a header label is data, kept as written."""
    path = str(write("a.csv", 'layer," the",the, \n0,0.5,0.6,0.7\n 1 ,0.8,0.9,1.0\n'))
    assert load_tensor(path).labels == (("0", " 1 "), (" the", "the", " "))
    assert load(path).col_labels == ("␣the", "the", "␣")  # shown readable: as Ġthe would be


def test_a_csv_of_attention_weights_is_query_by_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.loaders import load_tensor

    path = tmp_path / "attn.csv"
    path.write_text(",a,b,c\na,1,0,0\nb,0.5,0.5,0\nc,0.2,0.3,0.5\n")
    assert load_tensor(str(path)).names == ("Query", "Key")
    path.write_text(",a,b,c\na,1,0,0\nb,0.5,0.5,0\nc,0.2,0.3,0.6\n")
    assert load_tensor(str(path)).names == ("Layer", "Token")


def test_a_wrong_delimiter_given_names_the_one_that_works(write) -> None:  # type: ignore[no-untyped-def]
    """The hint never repeats what was typed: it names a delimiter that splits every line."""
    comma = str(write("c.csv", "layer,a,b\n0,0.5,0.7\n1,0.6,0.8\n"))
    with pytest.raises(LoadError) as caught:
        load_tensor(comma, delimiter=";")
    message = str(caught.value)
    assert "with --delimiter ';' every line is one column" in message
    assert message.endswith("try --delimiter ','")
    semicolon = str(write("s.csv", "a;b\n0,5;1,5\n0,25;2\n"))
    with pytest.raises(
        LoadError, match=r"header has 1 \(with --delimiter ','; .*try --delimiter ';'\)"
    ):
        load_tensor(semicolon, delimiter=",")
    tabs = str(write("t.txt", "a\tb\n1\t2\n"))
    with pytest.raises(LoadError, match=r"try --delimiter tab$"):
        load_tensor(tabs, delimiter="|")
    labels = str(write("l.csv", "x\ny\n"))
    with pytest.raises(LoadError, match="it is not this file's delimiter: leave --delimiter out"):
        load_tensor(labels, delimiter=";")


def test_an_unrecognised_delimiter_is_named_when_every_line_holds_it(write) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoadError, match=r"every line holds ':': try --delimiter ':'$"):
        load(str(write("odd.csv", "layer:a:b\n0:0.5:0.7\n1:0.6:0.8\n")))
    with pytest.raises(LoadError, match=r"give it with --delimiter C$"):
        load(str(write("one.csv", "x\ny\n")))
