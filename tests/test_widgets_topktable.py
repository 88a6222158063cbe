"""The lens's table as text: rank, token (cut with … to its room), probability and logit."""

from __future__ import annotations

from tuiheat.widgets.topktable import TopKRows, table_text


def test_rows_are_ranked_cut_and_the_followed_one_marked() -> None:
    rows = TopKRows("layer 30 · ␣of", ("␣Paris", "␣a" * 20), (0.7015, 1e-5), (14.398, -3.2), 1)
    text = table_text(rows, 28)
    lines = text.plain.split("\n")
    assert lines[0].rstrip() == "layer 30 · ␣of"
    assert lines[1] == "  1 ␣Paris       0.702 14.40"
    assert lines[2] == "  2 ␣a␣a␣a␣a␣a␣… 1e-05 -3.20"
    assert all(len(line) <= 28 for line in lines)
    reversed_spans = [span for span in text.spans if "reverse" in str(span.style)]
    assert len(reversed_spans) == 1 and text.plain[reversed_spans[0].start :].startswith("  2 ")
    only_logits = table_text(TopKRows("c", ("x",), None, (2.5,)), 20).plain
    assert only_logits.split("\n")[1].endswith(" 2.50")
