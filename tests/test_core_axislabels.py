"""Label vectors matched to axes: by length, then by name, then by the usual order."""

from __future__ import annotations

import numpy as np
import pytest

from tuiheat.core.axislabels import Hint, apply_hints, match_labels, name_words, role_of
from tuiheat.core.tensor import Tensor


def hint(name: str, n: int, prefix: str = "") -> Hint:
    return Hint(name, tuple(f"{prefix or name}{i}" for i in range(n)))


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("layer_labels", "layer"),
        ("layers", "layer"),
        ("head_names", "head"),
        ("headIds", "head"),
        ("tokens", "token"),
        ("str_tokens", "token"),
        ("positions", "token"),
        ("pos", "token"),
        ("q_tokens", "query"),
        ("query", "query"),
        ("k", "key"),
        ("key_tokens", "key"),
        ("row_labels", "row"),
        ("index", "row"),
        ("columns", "col"),
        ("xticklabels", "col"),
        ("labels", ""),
        ("classes", ""),
    ],
)
def test_what_a_name_says(name: str, role: str) -> None:
    assert role_of(name) == role


def test_name_words_split_snake_and_camel_case() -> None:
    assert name_words("xTickLabels") == ["x", "tick", "label"]
    assert name_words("layer_labels") == ["layer", "label"]
    assert name_words("queries") == ["query"]


def test_the_bundle_of_the_issue() -> None:
    """attention [6, 12, 17, 17] beside tokens [17], layer_labels [6], head_labels [12]."""
    hints = [hint("tokens", 17, "t"), hint("layer_labels", 6, "L"), hint("head_labels", 12, "H")]
    m = match_labels((6, 12, 17, 17), ("", "", "", ""), hints)
    assert m.labels[0][0] == "L0" and m.labels[1][0] == "H0"
    assert m.labels[2] == m.labels[3] == hints[0].labels  # a token list fits query and key
    # ... but names neither: only a name that says attention, or the values, say q × k.
    assert m.names == {0: "layer", 1: "head"}
    assert m.unmatched == ()


def test_a_vector_that_fits_no_axis_is_unmatched_not_an_error() -> None:
    hints = [hint("tokens", 17), hint("layer_labels", 6), hint("head_labels", 12)]
    m = match_labels((6, 12), ("", ""), hints)
    assert set(m.labels) == {0, 1}
    assert [h.name for h in m.unmatched] == ["tokens"]


def test_ties_are_broken_by_name() -> None:
    # 12 layers and 12 heads: the names decide, whatever order the vectors come in.
    hints = [hint("head_names", 12, "H"), hint("layer_labels", 12, "L")]
    m = match_labels((12, 12, 5, 5), ("", "", "", ""), hints)
    assert m.labels[0][0] == "L0" and m.labels[1][0] == "H0"
    # Axis names given by the file win over the usual order.
    m = match_labels((12, 12), ("head", "layer"), hints)
    assert m.labels[0][0] == "H0" and m.labels[1][0] == "L0"


def test_query_and_key_lists_take_their_own_axes() -> None:
    hints = [hint("q_tokens", 4, "q"), hint("k_tokens", 4, "k")]
    m = match_labels((4, 4), ("", ""), hints)
    assert m.labels[0][0] == "q0" and m.labels[1][0] == "k0"
    assert m.names == {0: "query", 1: "key"}


def test_tokens_never_label_a_layer_or_head_axis() -> None:
    m = match_labels((6, 6, 6), ("layer", "head", "position"), [hint("tokens", 6)])
    assert set(m.labels) == {2}


def test_row_and_col_labels_of_a_square_matrix() -> None:
    hints = [hint("col_labels", 3, "c"), hint("row_labels", 3, "r")]
    m = match_labels((3, 3), ("", ""), hints)
    assert m.labels[0][0] == "r0" and m.labels[1][0] == "c0"
    assert m.names == {}  # row/col say where, not what


def test_generic_labels_fill_every_free_axis_of_their_length() -> None:
    m = match_labels((10, 10), ("", ""), [hint("classes", 10)])
    assert set(m.labels) == {0, 1}


def test_labelled_axes_are_kept() -> None:
    m = match_labels((3, 4), ("", ""), [hint("tokens", 4)], labelled=(False, True))
    assert m.labels == {} and m.unmatched == ()


def test_apply_hints_names_axes_and_notes_the_rest() -> None:
    tensor = Tensor(np.zeros((6, 17)))
    hints = [hint("layer_labels", 6, "L"), hint("positions", 17, "p"), hint("head_labels", 12)]
    t = apply_hints(tensor, hints)
    assert t.names == ("Layer", "Position")  # 2-D defaults are capitalised: so are new names
    assert t.labels[1][0] == "p0"
    assert t.notes == ("head_labels [12] fits no axis, ignored",)


def test_a_square_grid_is_layer_by_token_unless_something_says_attention() -> None:
    """12 layers × 12 tokens: the tokens label the Token axis, not the layers too."""
    from tuiheat.core.axislabels import Roles

    grid = apply_hints(Tensor(np.zeros((12, 12))), [hint("tokens", 12, "t")])
    assert grid.names == ("Layer", "Token") and grid.labels[0] is None
    attention = Roles(("query", "key"), ("query", "key"))
    pattern = apply_hints(Tensor(np.zeros((12, 12))), [hint("tokens", 12, "t")], attention)
    assert pattern.names == ("Query", "Key") and pattern.labels[0] == pattern.labels[1]


def test_apply_hints_never_duplicates_or_overrides_given_names() -> None:
    tensor = Tensor(np.zeros((2, 3, 4)), names=("layer", "dim1", "dim2"))
    t = apply_hints(tensor, [hint("layer_ids", 3)])  # would name dim1 "layer": taken
    assert t.names == ("layer", "dim1", "dim2") and t.labels[1] is not None


def test_no_hints_leave_the_tensor_alone() -> None:
    tensor = Tensor(np.zeros((2, 3)))
    assert apply_hints(tensor, []) is tensor


def test_a_vector_never_labels_an_axis_named_for_something_else() -> None:
    hints = [hint("head_labels", 8, "H"), hint("tokens", 8, "t"), hint("layer_labels", 8, "L")]
    m = match_labels((8, 8), ("layer", "token"), hints)
    assert m.labels[0][0] == "L0" and m.labels[1][0] == "t0"
    assert m.unmatched == ()  # head_labels is 8 long, as both axes are, but names neither
    assert [h.name for h in m.refused] == ["head_labels"]


def test_a_member_name_that_names_every_axis() -> None:
    from tuiheat.core.axislabels import Roles, roles_in_name

    def known(name: str, shape: tuple[int, ...]) -> tuple[str, ...] | None:
        roles = roles_in_name(name, shape)
        return None if roles is None else roles.known

    assert known("layer_by_token", (6, 17)) == ("layer", "token")
    assert known("attn_q_k", (5, 5)) == ("query", "key")
    assert known("pos_by_layer", (17, 6)) == ("token", "layer")
    assert known("head_importance", (6, 12)) is None  # one axis named: not enough
    # Attention says query and key of square axes; the outer axes are only guessed
    # ([head, q, k] of one layer, [layer, head, q, k]), so a label vector can correct them.
    assert roles_in_name("blocks.0.attn.hook_pattern", (12, 9, 9)) == Roles(
        ("", "query", "key"), ("head", "query", "key")
    )
    assert known("attention", (12, 9, 9)) == ("", "query", "key")
    assert known("attn_weights", (9, 9)) == ("query", "key")
    assert roles_in_name("attn", (6, 12, 9, 9)) == Roles(
        ("", "", "query", "key"), ("layer", "head", "query", "key")
    )
    assert known("attention_mask", (9, 9)) is None
    assert known("row_col", (9, 9)) is None  # says where, not what


def test_a_summary_of_attention_is_not_query_by_key() -> None:
    """attn_received [layers, tokens] says attention but is not square: a summary."""
    from tuiheat.core.axislabels import roles_in_name

    assert roles_in_name("attn_received", (6, 17)) is None
    assert roles_in_name("attn_from_cls", (6, 12, 17)) is None
    assert roles_in_name("cross_attention", (12, 9, 17)) is None
    assert roles_in_name("attn_received", (17, 17)) is not None  # square: the name stands
