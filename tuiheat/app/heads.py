"""The head explorer's model: a tensor of attention patterns with its layer, head, query and
key axes, and the layer × head summaries found for it (each statistic computed once and
kept while the viewer runs). Three screens share it: the tensor's own, the summary
(``S``), and one head's pattern (``Enter`` on the summary; ``Esc`` goes back).
Pure: what each screen is configured with, and which head ``n``/``N`` go to."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from tuiheat.core.headstats import HEAD_STATS, HeadAxes, head_spec
from tuiheat.core.tensor import Tensor
from tuiheat.session.config import Source, ViewerConfig


@dataclass
class HeadLink:
    """``origin``: the configuration of the tensor's own screen (its one source)."""

    origin: ViewerConfig
    axes: HeadAxes
    found: dict[str, Tensor] = field(default_factory=dict)  # statistic -> layer × head
    last: str = next(iter(HEAD_STATS))  # the statistic S shows first

    @property
    def tensor(self) -> Tensor:
        return self.origin.sources[0].tensor

    def summary_config(self, stat: str) -> ViewerConfig:
        """The layer × head grid of ``stat``, coloured over its own range."""
        summary = self.found[stat]  # with its own range (``summary_tensor``)
        name = self.origin.array_name or self.origin.title
        return replace(
            self.origin,
            sources=(Source(summary, stat),),
            spec=None,
            facet=None,
            boxes=(),
            title=summary.title,
            array_name=f"{name}: {stat}" if name else stat,
            array_key=None,
            vrange=None,
            vmin=None,
            vmax=None,
            center=None,
            log=False,
            watch=False,
            notices=summary.notes,
            as_text=None,
            summary=None,
        )

    def head_config(self, layer: int, head: int) -> ViewerConfig:
        """One head's query × key pattern, the token text on the last query (which, in a
        causal pattern, attends to the whole text)."""
        spec = head_spec(self.tensor, self.axes, layer, head)
        return replace(
            self.origin, spec=spec, facet=None, boxes=(), notices=(), as_text="-1", summary=None
        )


def next_stat(stat: str) -> str:
    names = list(HEAD_STATS)
    return names[(names.index(stat) + 1) % len(names)]


def ranked_step(values: np.ndarray, cell: tuple[int, int], direction: int) -> tuple[int, int]:
    """``n`` (1): the head with the next lower value than the cursor's, down the ranking
    from the highest; ``N`` (-1): the next higher, up from the lowest. Ties go by the
    heads' order; NaN heads are never visited; from a NaN head, the first of the ranking.
    At the end of the ranking, it starts again."""
    flat = np.asarray(values, dtype=np.float64).ravel()
    n_cols = values.shape[1]
    finite = np.flatnonzero(np.isfinite(flat))
    if finite.size == 0:
        return cell
    key = -flat[finite] if direction > 0 else flat[finite]
    order = finite[np.lexsort((finite, key))]  # by value, then by place
    here = cell[0] * n_cols + cell[1]
    where = np.flatnonzero(order == here)
    at = 0 if where.size == 0 else (int(where[0]) + 1) % order.size
    index = int(order[at])
    return index // n_cols, index % n_cols
