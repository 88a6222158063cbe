"""The viewer on the hostile corpus: every file that renders also survives the keys."""

from __future__ import annotations

import pytest
from hostile_corpus import RENDER, build

from tuiheat.session.open import load_input
from tuiheat.session.options import Options

KEYS = ["j", "l", "G", "dollar_sign", "circumflex_accent", "underscore", "underscore", "m", "R",
        "number_sign", "minus", "z", "circumflex_accent", "p", "b", "enter", "B", "escape", "t",
        "H", "question_mark", "escape"]  # fmt: skip
CHOSEN = [
    "labels_hostile.csv", "labels_hostile.npz", "labels_hostile.json", "lone_surrogates.json",
    "all_nan.npy", "inf_mix.npy", "constant.npy", "huge_values.npy", "one_cell.npy", "three_d.npy",
    "wide.npy", "dtype_uint64_max.npy", "fortran.npy", "quoted_newline.csv",
]  # fmt: skip


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):  # type: ignore[no-untyped-def]
    directory = tmp_path_factory.mktemp("hostile_tui")
    cases = {c.name: c for c in build(directory)}
    assert all(cases[name].expect == RENDER for name in CHOSEN)
    return directory


@pytest.mark.parametrize("name", CHOSEN)
@pytest.mark.filterwarnings("error::RuntimeWarning")  # a warning would print over the screen
async def test_render_case_survives_the_keys(corpus_dir, name: str) -> None:  # type: ignore[no-untyped-def]
    from tuiheat.app import TuiheatApp
    from tuiheat.session.config import ViewerConfig

    path = corpus_dir / name
    loaded = load_input(Options(file=str(path)), str(path), None, path.name)
    app = TuiheatApp(
        ViewerConfig.for_matrix(
            loaded.matrix, title=loaded.title, tensor=loaded.tensor, spec=loaded.spec
        )
    )
    async with app.run_test(size=(90, 30)) as pilot:
        await pilot.press(*KEYS)
        await pilot.pause()
        assert app.is_running, name
        title = app.query_one("#titlebar").title_text  # type: ignore[attr-defined]
        assert "\x1b" not in title and "\x07" not in title
