"""The cursor's column profile of a tall file: a strided read, not the whole column."""

from __future__ import annotations

import numpy as np

from tuiheat.loaders import load
from tuiheat.widgets.profiles import PROFILE_LIMIT, profile_step, profile_text, profile_values


def test_a_tall_column_is_sampled_every_nth_row(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.loaders import numpy_files

    monkeypatch.setattr(numpy_files, "COPY_BYTES", 0)  # memory-mapped, read with pread
    values = np.random.default_rng(0).random((2000, 3)).astype(np.float32)
    path = tmp_path / "tall.npy"
    np.save(path, values)
    matrix = load(str(path))
    step = profile_step(matrix.n_rows)
    assert step == 4 and len(range(0, 2000, step)) <= PROFILE_LIMIT
    np.testing.assert_array_equal(profile_values(matrix, "col", 2), values[::4, 2])
    np.testing.assert_array_equal(profile_values(matrix, "row", 7), values[7])
    text = profile_text(matrix, _range(), "col", 2, 200)
    assert "(1 Layer in 4)" in text.plain
    peak = int(np.argmax(values[::4, 2])) * 4
    assert f"at Layer {peak}" in text.plain  # the label of the row the peak was read at


def test_a_short_column_is_read_whole() -> None:
    from tuiheat.core.matrix import HeatMatrix

    values = np.arange(30.0).reshape(10, 3)
    np.testing.assert_array_equal(profile_values(HeatMatrix(values), "col", 1), values[:, 1])


def _range():  # type: ignore[no-untyped-def]
    from tuiheat.core.scale import ValueRange

    return ValueRange(0.0, 1.0)
