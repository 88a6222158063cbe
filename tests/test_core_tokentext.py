"""Tokens as running text: how each reads, and how they wrap."""

from __future__ import annotations

from tuiheat.core.tokentext import TokenText, is_wordpiece, text_width, token_piece


def drawn(text: TokenText) -> list[str]:
    """Each line as it would be drawn, specials in brackets kept as they are."""
    out = []
    for index in range(text.lines):
        line = ""
        for _, x, piece in text.line(index):
            line += " " * (x - text_width(line)) + piece.text
        out.append(line)
    return out


def test_gpt2_and_sentencepiece_marks_are_spaces_before_words() -> None:
    assert drawn(TokenText.of(["The", "Ġcapital", "Ġof", "ĠFr", "ance"], 80)) == [
        "The capital of France"
    ]
    assert drawn(TokenText.of(["▁The", "▁cap", "ital"], 80)) == ["The capital"]
    assert drawn(TokenText.of([" The", " answer", " is"], 80)) == ["The answer is"]


def test_wordpiece_joins_pieces_and_spaces_words() -> None:
    tokens = ["[CLS]", "the", "cap", "##ital", "is", "paris", "[SEP]"]
    assert is_wordpiece(tokens) and not is_wordpiece(["Ġa", "##b"])
    assert drawn(TokenText.of(tokens, 80)) == ["[CLS] the capital is paris [SEP]"]
    assert token_piece("[CLS]").special and token_piece("<|im_start|>").special
    assert not token_piece("the").special and not token_piece("[x y]").special
    whole = ["[CLS]", "the", "probe", "reads", ",", "not", "it", ".", "[SEP]"]  # no ##
    assert drawn(TokenText.of(whole, 80)) == ["[CLS] the probe reads, not it. [SEP]"]
    # Labels without any word mark are whole words (the seed's positions); a text written
    # without spaces (Japanese) and byte-level BPE (a newline Ċ) are not.
    labels = ["last_q", "exact_answer_before_first", "exact_answer_first"]
    assert drawn(TokenText.of(labels, 80)) == [" ".join(labels)]
    assert drawn(TokenText.of(["東京", "は", "大きい"], 80)) == ["東京は大きい"]
    assert drawn(TokenText.of(["x", "=", "1", "Ċ"], 80)) == ["x=1↵"]


def test_a_newline_is_shown_and_breaks_the_line() -> None:
    text = TokenText.of(["Hello", "Ċ", "World", "\n", "!"], 80)
    assert drawn(text) == ["Hello↵", "World↵", "!"]
    assert token_piece("<0x0A>").newline and token_piece("\t").text == "⇥"


def test_wrapping_keeps_tokens_whole_and_finds_their_line() -> None:
    tokens = ["a"] + ["Ġword"] * 9
    text = TokenText.of(tokens, 12)
    assert drawn(text) == ["a word word", "word word", "word word", "word word", "word"]
    assert all(len(line) <= 12 for line in drawn(text))
    assert text.line_of(0) == 0 and text.line_of(3) == 1 and text.line_of(9) == 4
    assert [token for token, _, _ in text.line(1)] == [3, 4]


def test_wide_characters_take_two_cells_and_control_characters_are_visible() -> None:
    assert text_width("東京") == 4 and text_width("e\u0301") == 1 and text_width("🙂") == 2
    text = TokenText.of(["東京", "Ġは", "Ġ大きい"], 7)
    assert drawn(text) == ["東京 は", "大きい"]
    assert "\x1b" not in token_piece("\x1b[31mred").text
    assert token_piece("").text == "∅"


def test_thirty_thousand_tokens_lay_out_at_once() -> None:
    tokens = ["Ġtok"] * 32768
    text = TokenText.of(tokens, 120)
    assert text.lines == -(-32768 // 30)  # " tok" is 4 cells: 30 tokens a line of 120
    assert text.line_of(32767) == text.lines - 1
