"""Token ids to strings with a real tokenizer.json built here by the tokenizers library (no
download), and the file found by path, by directory or in a fake Hugging Face cache."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from tuiheat.loaders import tokenizer as tokmod
from tuiheat.loaders.tokenizer import TokenizerError, Vocabulary, find_tokenizer

from conftest import packages_loaded_by

SENTENCES = [
    "the cat sat on the mat",
    "the dog ate the bone\nand then the cat slept",
    "a tokenizer splits the text into pieces",
] * 4


def byte_level_bpe() -> Tokenizer:
    """GPT-2's kind of tokenizer: byte-level BPE, so a word after a space reads 'Ġthe'."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=320,
        special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tok.train_from_iterator(SENTENCES, trainer)
    return tok


@pytest.fixture(scope="module")
def bpe() -> Tokenizer:
    return byte_level_bpe()


@pytest.fixture(scope="module")
def bpe_file(tmp_path_factory: pytest.TempPathFactory, bpe: Tokenizer) -> Path:
    path = tmp_path_factory.mktemp("tok") / "tokenizer.json"
    bpe.save(str(path))
    return path


@pytest.fixture(scope="module")
def vocab(bpe_file: Path) -> Vocabulary:
    return Vocabulary.load(bpe_file)


def snapshot(repo: Path, commit: str, mtime: float, content: str = "{}") -> Path:
    """One snapshot of a cached repo, its tokenizer.json linked to a blob as the hub does."""
    (repo / "blobs").mkdir(parents=True, exist_ok=True)
    blob = repo / "blobs" / f"blob-{commit}"
    blob.write_text(content)
    folder = repo / "snapshots" / commit
    folder.mkdir(parents=True)
    (folder / "tokenizer.json").symlink_to(os.path.relpath(blob, folder))
    os.utime(folder, (mtime, mtime))
    return folder / "tokenizer.json"


# -- finding the file ---------------------------------------------------------------------


def test_found_by_file_path_and_by_directory(bpe_file: Path) -> None:
    assert find_tokenizer(str(bpe_file), env={}) == bpe_file
    assert find_tokenizer(str(bpe_file.parent), env={}) == bpe_file


def test_a_directory_without_one_is_named(tmp_path: Path) -> None:
    with pytest.raises(TokenizerError, match=rf"^no tokenizer\.json in {tmp_path}$"):
        find_tokenizer(str(tmp_path), env={})


def test_a_missing_path_is_a_path_not_a_repo(tmp_path: Path) -> None:
    for spec in (str(tmp_path / "gone.json"), "./gone", "../gone", str(tmp_path / "a" / "b")):
        with pytest.raises(TokenizerError) as err:
            find_tokenizer(spec, env={"HF_HUB_CACHE": str(tmp_path)})
        assert str(err.value) == f"no tokenizer file at {spec}"


def test_org_name_in_hf_hub_cache_takes_the_newest_snapshot(tmp_path: Path) -> None:
    repo = tmp_path / "hub" / "models--org--name"
    snapshot(repo, "aaa", 1_000)
    newest = snapshot(repo, "bbb", 3_000)
    snapshot(repo, "ccc", 2_000)
    assert find_tokenizer("org/name", env={"HF_HUB_CACHE": str(tmp_path / "hub")}) == newest


def test_refs_main_wins_when_it_names_a_snapshot(tmp_path: Path) -> None:
    repo = tmp_path / "models--org--name"
    main = snapshot(repo, "aaa", 1_000)
    snapshot(repo, "bbb", 3_000)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("aaa\n")
    assert find_tokenizer("org/name", env={"HF_HUB_CACHE": str(tmp_path)}) == main


def test_refs_main_naming_nothing_falls_back_to_the_newest(tmp_path: Path) -> None:
    repo = tmp_path / "models--org--name"
    snapshot(repo, "aaa", 1_000)
    newest = snapshot(repo, "bbb", 3_000)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("deadbeef")
    assert find_tokenizer("org/name", env={"HF_HUB_CACHE": str(tmp_path)}) == newest


def test_a_snapshot_without_the_file_or_with_a_dangling_link_is_skipped(tmp_path: Path) -> None:
    repo = tmp_path / "models--org--name"
    older = snapshot(repo, "aaa", 1_000)
    dangling = snapshot(repo, "bbb", 3_000)
    (repo / "blobs" / "blob-bbb").unlink()  # a download cut short
    (repo / "snapshots" / "ccc").mkdir()  # config.json only, say
    assert dangling.is_symlink()
    assert find_tokenizer("org/name", env={"HF_HUB_CACHE": str(tmp_path)}) == older


def test_hf_home_then_the_default_cache(tmp_path: Path) -> None:
    in_home = snapshot(tmp_path / "home" / "hub" / "models--org--name", "aaa", 1_000)
    assert find_tokenizer("org/name", env={"HF_HOME": str(tmp_path / "home")}) == in_home
    default = tmp_path / "user" / ".cache" / "huggingface" / "hub"
    in_default = snapshot(default / "models--gpt2", "aaa", 1_000)
    assert find_tokenizer("gpt2", env={"HOME": str(tmp_path / "user")}) == in_default
    xdg = snapshot(tmp_path / "xdg" / "huggingface" / "hub" / "models--gpt2", "aaa", 1_000)
    assert find_tokenizer("gpt2", env={"XDG_CACHE_HOME": str(tmp_path / "xdg")}) == xdg


def test_hf_hub_cache_comes_before_hf_home(tmp_path: Path) -> None:
    snapshot(tmp_path / "home" / "hub" / "models--org--name", "aaa", 1_000)
    env = {"HF_HOME": str(tmp_path / "home"), "HF_HUB_CACHE": str(tmp_path / "elsewhere")}
    with pytest.raises(TokenizerError, match="elsewhere"):
        find_tokenizer("org/name", env=env)


def test_a_missing_repo_is_one_line_naming_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(TokenizerError) as err:
        find_tokenizer("org/name", env={"HF_HOME": str(tmp_path)})
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("no tokenizer 'org/name'")
    assert str(tmp_path / "hub" / "models--org--name" / "snapshots" / "*" / "tokenizer.json") in (
        message
    )
    assert "HF_HUB_CACHE" in message


def test_the_cached_repo_folder_itself_is_a_directory_that_holds_one(tmp_path: Path) -> None:
    repo = tmp_path / "models--org--name"
    found = snapshot(repo, "aaa", 1_000)
    assert find_tokenizer(str(repo), env={}) == found


def test_a_special_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "tokenizer.json"
    os.mkfifo(fifo)
    with pytest.raises(TokenizerError, match="not a regular file"):
        find_tokenizer(str(fifo), env={})


# -- ids to tokens ------------------------------------------------------------------------


def test_known_ids_read_as_the_tokenizer_wrote_them(vocab: Vocabulary, bpe: Tokenizer) -> None:
    ids = bpe.encode(" the cat sat\n").ids
    assert vocab.tokens(ids) == ["Ġthe", "Ġcat", "Ġsat", "Ċ"]
    assert vocab.size == bpe.get_vocab_size()
    everything = vocab.tokens(list(range(vocab.size)))
    assert everything == [bpe.id_to_token(i) for i in range(vocab.size)]


def test_an_id_outside_the_vocabulary_is_named_never_raised(vocab: Vocabulary) -> None:
    n = vocab.size
    assert vocab.tokens([0, n, -1, 123456]) == [
        "<|endoftext|>",
        f"<id {n}>",
        "<id -1>",
        "<id 123456>",
    ]
    huge = np.array([2**64 - 1, 1], dtype=np.uint64)
    assert vocab.tokens(huge)[0] == f"<id {2**64 - 1}>"
    assert vocab.tokens([]) == []


def test_an_array_layers_positions_k_is_read_flat_in_c_order(
    vocab: Vocabulary, bpe: Tokenizer
) -> None:
    rng = np.random.default_rng(0)
    ids = rng.integers(0, vocab.size + 5, size=(3, 4, 5)).astype(np.int32)
    got = vocab.tokens(ids)
    assert len(got) == 60
    expected = [bpe.id_to_token(int(i)) or f"<id {int(i)}>" for i in ids.ravel()]
    assert got == expected
    assert vocab.tokens(ids.astype(np.float32)) == expected  # ids read from JSON
    with pytest.raises(TokenizerError, match="must be integers"):
        vocab.tokens(np.array([1.5]))


def test_two_ids_with_the_same_string_stay_two(tmp_path: Path) -> None:
    pieces = [("<unk>", 0.0), ("▁the", -1.0), ("▁the", -2.0), ("a", -3.0)]
    path = tmp_path / "tokenizer.json"
    Tokenizer(models.Unigram(pieces, unk_id=0, byte_fallback=False)).save(str(path))
    vocab = Vocabulary.load(path)
    assert vocab.size == 4
    assert vocab.tokens([1, 2, 2, 1, 3]) == ["▁the", "▁the", "▁the", "▁the", "a"]


def test_id_of_a_token_as_written_shown_or_typed(vocab: Vocabulary, bpe: Tokenizer) -> None:
    the = bpe.token_to_id("Ġthe")
    assert the is not None
    assert vocab.id_of("Ġthe") == the
    assert vocab.id_of(" the") == the  # encodes to that one piece
    assert vocab.id_of("␣the") == the  # as tuiheat shows it
    assert vocab.id_of("Ċ") == vocab.id_of("\n") == vocab.id_of("↵") == bpe.token_to_id("Ċ")
    assert vocab.id_of("<|endoftext|>") == 0
    assert vocab.id_of(" the cat") is None  # two pieces
    assert vocab.id_of("") is None


def test_id_of_an_unknown_word_is_none(tmp_path: Path) -> None:
    path = tmp_path / "tokenizer.json"
    tok = Tokenizer(models.WordLevel({"[UNK]": 0, "the": 1, "cat": 2}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.enable_padding(length=8)  # a file's padding must not turn one piece into eight
    tok.save(str(path))
    vocab = Vocabulary.load(path)
    assert vocab.id_of("cat") == 2
    assert vocab.id_of(" cat") == 2
    assert vocab.id_of("dog") is None
    assert vocab.id_of("[UNK]") == 0


# -- failures -----------------------------------------------------------------------------


def test_without_tokenizers_the_error_says_how_to_install(
    bpe_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tokenizers", None)
    with pytest.raises(TokenizerError, match=r"pip install 'tuiheat\[lens\]'"):
        Vocabulary.load(bpe_file)


def test_importing_the_module_leaves_tokenizers_unloaded() -> None:
    assert packages_loaded_by("import tuiheat.loaders.tokenizer", ("tokenizers",)) == []


HOSTILE = {
    "not-json": b"this is not json",
    "empty": b"",
    "a-list": b"[1, 2, 3]",
    "wrong-shape": json.dumps({"model": {"type": "BPE", "vocab": 3}}).encode(),
    "no-model": json.dumps({"version": "1.0", "added_tokens": []}).encode(),
    "escapes": b'{"model": "\x1b[31m\xc2\x9b\xe2\x80\xae\n"}',
    "binary": bytes(range(256)),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_one_clear_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / "tokenizer.json"
    path.write_bytes(HOSTILE[name])
    with pytest.raises(TokenizerError) as err:
        Vocabulary.load(path)
    message = str(err.value)
    assert message.startswith(f"{path} is not a tokenizer.json: ")
    assert message.isprintable()  # one line, no ESC, no C1, no bidi override
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_a_byte_order_mark_is_read_past(tmp_path: Path, bpe_file: Path) -> None:
    path = tmp_path / "tokenizer.json"
    path.write_bytes(b"\xef\xbb\xbf" + bpe_file.read_bytes())
    assert Vocabulary.load(path).tokens([0]) == ["<|endoftext|>"]


def test_too_large_missing_or_a_directory(
    tmp_path: Path, bpe_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(TokenizerError, match="not a regular file"):
        Vocabulary.load(tmp_path)
    with pytest.raises(TokenizerError, match="no tokenizer file at"):
        Vocabulary.load(tmp_path / "gone.json")
    monkeypatch.setattr(tokmod, "MAX_TOKENIZER_BYTES", 100)
    with pytest.raises(TokenizerError, match=r"too large for a tokenizer\.json"):
        Vocabulary.load(bpe_file)
