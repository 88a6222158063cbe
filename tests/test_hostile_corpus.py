"""Every hostile file renders or fails with one line; nothing runs; nothing changes; no escapes."""

from __future__ import annotations

import hashlib
import re

import pytest
from hostile_corpus import ERROR, MARKER, RENDER, build

import tuiheat
from tuiheat.cli import main, parse_args
from tuiheat.core.catalog import ERROR as ERROR_ENTRY
from tuiheat.core.catalog import FILE, Entry
from tuiheat.loaders import LoadError
from tuiheat.loaders.listing import describe_file
from tuiheat.session.open import load_input
from tuiheat.session.options import UsageError

SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):  # type: ignore[no-untyped-def]
    directory = tmp_path_factory.mktemp("hostile")
    return directory, build(directory)


def digest(path) -> str:  # type: ignore[no-untyped-def]
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(argv, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    for k in ("NO_COLOR", "COLORTERM"):
        monkeypatch.delenv(k, raising=False)
    code = main(argv)
    return code, *capsys.readouterr()


def test_every_case_has_its_outcome(corpus, capsys, monkeypatch, recwarn) -> None:  # type: ignore[no-untyped-def]
    directory, cases = corpus
    before = {c.name: digest(directory / c.name) for c in cases}
    for case in cases:
        path = str(directory / case.name)
        for colour in ("none", "truecolor"):
            code, out, err = run(
                [path, "--print", "--color", colour, "--width", "100", *case.args],
                capsys,
                monkeypatch,
            )
            visible = SGR.sub("", out)
            assert "\x1b" not in visible, f"{case.name}: an escape sequence reached the output"
            assert "\x9b" not in out and "\x07" not in out, case.name
            assert "\x1b" not in err, case.name
            if case.expect == RENDER:
                assert code == 0, f"{case.name}: {err}"
                assert err == "" or err.startswith("tuiheat: warning:"), f"{case.name}: {err}"
                assert case.says in err, f"{case.name}: {err}"
            else:
                assert case.expect == ERROR
                assert code == 2, f"{case.name} rendered instead of failing"
                assert err.startswith("tuiheat: error: ") and err.count("\n") == 1, (
                    f"{case.name}: {err!r}"
                )
                assert len(err) < 400, f"{case.name}: a line too long to read: {err[:200]}…"
                assert case.says in err, f"{case.name}: {err}"
                assert out == ""
                assert "Traceback" not in err
    assert not (directory / MARKER).exists(), "a pickle payload ran"
    assert {c.name: digest(directory / c.name) for c in cases} == before, "an input file changed"
    assert not [w for w in recwarn if "tuiheat" in str(w.filename)], [
        str(w.message) for w in recwarn
    ]


def test_hostile_labels_keep_their_meaning_as_text(corpus, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    directory, _ = corpus
    code, out, _ = run(
        [str(directory / "labels_hostile.json"), "--print", "--color", "none"], capsys, monkeypatch
    )
    assert code == 0
    assert "[/INST]" in out and "␛]0;title␇" in out
    assert "<U+202E>" in out and "∅" in out


def test_error_cases_fail_in_one_line_through_every_entry_point(
    corpus, tmp_path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The viewer, --export, the directory picker and tuiheat.load() read files as --print does."""
    directory, cases = corpus
    for case in (c for c in cases if c.expect == ERROR):
        path = directory / case.name
        options = parse_args([str(path), *case.args])
        with monkeypatch.context() as env:  # the Python API takes the limit from the environment
            if options.inflate_limit is not None:
                env.setenv("TUIHEAT_INFLATE_LIMIT", str(options.inflate_limit))
            with pytest.raises(LoadError) as caught:
                tuiheat.load(path, options.key)
        assert case.says in str(caught.value) and "\n" not in str(caught.value), case.name
        with pytest.raises(UsageError) as refused:  # the viewer, before it takes the screen
            load_input(options, str(path), path, case.name)
        assert case.says in str(refused.value), case.name
        out_file = tmp_path / "out.svg"
        code, _, err = run([str(path), "--export", str(out_file), *case.args], capsys, monkeypatch)
        assert code == 2 and err.count("\n") == 1 and case.says in err, f"{case.name}: {err}"
        assert not out_file.exists()
        listed = describe_file(Entry(case.name, FILE, path=str(path)))  # a directory's picker
        if listed.kind == ERROR_ENTRY:
            assert case.says in listed.detail and "\n" not in listed.detail, case.name
