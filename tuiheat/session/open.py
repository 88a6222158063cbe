"""Opening files as the command line asks: the tensor with --names, --labels and --text, the
slice of --axes and --slice, saved boxes and --box, the second file of a comparison, and
the arrays a picker opens (the same options, where they fit)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuiheat.session.options import Options, UsageError, display_name


@dataclass
class Loaded:
    """The matrix to show and what the viewer needs to know about where it came from."""

    matrix: Any
    title: str
    data_path: Path | None  # boxes are saved beside it; None for stdin and the bundled sample
    notices: list[str] = field(default_factory=list)
    tensor: Any = None  # the N-D array behind ``matrix`` (a 2-D slice of it)
    spec: Any = None
    name: str = ""  # how the title names the array (file name, key)
    stamp: tuple[int, int] | None = None  # size and mtime when read, to notice changes
    facet: int | None = None  # --facet: the axis laid out as panels
    lens: Any = None  # session.lens.LensFile: the logit lens the matrix was made from
    runs: Any = None  # session.runs.RunsView: the runs whose statistics the matrix shows


def load_input(options: Options, name: str, data_path: Path | None, title_name: str) -> Loaded:
    """The matrix, with saved boxes from its sidecar and --box regions; errors name the file."""
    from tuiheat.core import BoxError, parse_box_spec
    from tuiheat.core.stamp import file_stamp
    from tuiheat.core.tensor import SliceError, describe, slice_matrix

    stamp = None
    if data_path is not None:
        with contextlib.suppress(OSError):
            stamp = file_stamp(data_path)
    tensor, lens = read_lensed(options, name)
    if options.summary:  # the layer × head grid takes the tensor's place
        from dataclasses import replace

        from tuiheat.session.headsummary import summarised

        tensor = summarised(tensor, options, title_name)
        options = replace(options, slice=None, sidecar=False)
    spec = slice_spec(tensor, options)
    facet, spec = facet_of(tensor, spec, options)
    try:
        matrix = slice_matrix(tensor, spec)
    except SliceError as err:  # a store's reduction that cannot be made
        raise UsageError(f"--slice: {err}") from None
    notices: list[str] = []
    boxes = list(matrix.boxes)
    if data_path is not None and options.sidecar:
        from tuiheat.loaders import LoadError
        from tuiheat.loaders.sidecar import read_sidecar, sidecar_path

        path = sidecar_path(data_path)
        try:
            saved = read_sidecar(path, matrix, options.key)
        except LoadError as err:
            notices.append(f"{display_name(str(path))}: {err}")
        else:
            if saved is not None:
                boxes = saved
    for text in options.boxes:
        try:
            box = parse_box_spec(text, matrix.row_labels, matrix.col_labels)
        except BoxError as err:
            raise UsageError(f"--box: {err}") from None
        if box not in boxes:
            boxes.append(box)
    if boxes != list(matrix.boxes):
        matrix = matrix.with_boxes(boxes)
    name = _title_name(matrix.title or title_name, options.key, tensor)
    title = describe(tensor, spec, name, facet) if tensor.ndim > 2 else name
    return Loaded(matrix, title, data_path, notices, tensor, spec, name, stamp, facet, lens)


def _title_name(name: str, key: str | None, tensor: Any) -> str:
    """A bundle's arrays share its title: the member's name tells them apart; a store
    whose passes run on dask says where."""
    if key:
        name = f"{name} · {display_name(key)}"
    if getattr(tensor.source, "where", ""):
        name = f"{name} · {tensor.source.where}"
    return name


def read_tensor(options: Options, name: str) -> Any:
    """The file's tensor with --text, --names and --labels applied (used again by reloads)."""
    return read_lensed(options, name)[0]


def read_lensed(options: Options, name: str) -> tuple[Any, Any]:
    """The file's tensor, and the logit lens it was made from, if it holds one (the grid of
    top-1 probabilities then takes the place of an array)."""
    from tuiheat.loaders import LoadError, load_tensor
    from tuiheat.loaders.base import ChooseArray
    from tuiheat.loaders.stores import StoreOptions
    from tuiheat.session.lens import lens_tensor, open_lens

    lens = open_lens(options, name)
    if lens is not None:
        return named_tensor(lens_tensor(lens, options, display_name(name)), options), lens

    try:
        tensor = load_tensor(
            name,
            key=options.key,
            delimiter=options.delimiter,
            inflate_limit=options.inflate_limit,
            store=StoreOptions(
                options.chunk_cache,
                options.dask_budget,
                options.scheduler,
                screen=not options.print_mode,  # printing, the passes take every core
            ),
        )
    except ChooseArray:
        raise  # the viewer offers a picker; run() turns it into an error elsewhere
    except LoadError as err:
        raise UsageError(f"{display_name(name)}: {err}") from None
    if options.text:
        tensor = attach_text(tensor, name, options.text)
    return named_tensor(tensor, options), None


def attach_text(tensor: Any, name: str, key: str) -> Any:
    """--text KEY: a grid of strings from the same file, of the tensor's shape."""
    from dataclasses import replace

    from tuiheat.loaders import LoadError, load_text_grid

    try:
        text = load_text_grid(name, key)
    except LoadError as err:
        raise UsageError(f"--text {display_name(key)}: {err}") from None
    squeezed = text.reshape([n for n in text.shape if n != 1]) if text.ndim > tensor.ndim else text
    if squeezed.shape != tensor.shape:
        raise UsageError(
            f"--text {display_name(key)}: its shape {list(text.shape)} differs from the values' {list(tensor.shape)}"
        )
    return replace(tensor, text=squeezed)


def named_tensor(tensor: Any, options: Options) -> Any:
    """Apply --names and --labels (a reload applies them again); usage errors."""
    from tuiheat.core.tensor import SliceError

    names = [n.strip() for n in options.names.split(",")] if options.names else None
    try:
        if names is not None and tensor.names != tuple(names):
            tensor = tensor.with_names(names)
        if options.labels:
            tensor = tensor.with_tokens(read_label_file(options.labels))
    except SliceError as err:
        raise UsageError(str(err)) from None
    return tensor


def slice_spec(tensor: Any, options: Options) -> Any:
    """The slice on screen: --axes and --slice, or the last two axes; usage errors."""
    from tuiheat.core.tensor import SliceError, default_spec, parse_axes, parse_slice

    try:
        spec = parse_axes(tensor, options.axes) if options.axes else default_spec(tensor)
        return parse_slice(tensor, spec, options.slice) if options.slice else spec
    except SliceError as err:
        raise UsageError(str(err)) from None


def facet_of(tensor: Any, spec: Any, options: Options) -> tuple[int | None, Any]:
    """--facet AXIS: the axis laid out as panels, and the slice of the first panel."""
    from tuiheat.core.facets import facet_axis, facet_spec
    from tuiheat.core.tensor import SliceError

    if not options.facet:
        return None, spec
    try:
        axis = facet_axis(tensor, spec, options.facet)
    except SliceError as err:
        raise UsageError(f"--facet: {err}") from None
    return axis, facet_spec(spec, axis, 0)


def read_label_file(name: str) -> list[str]:
    """--labels FILE: one label per line, kept as written, unless the whole file is a JSON
    list of strings (a first line ``[CLS]`` is a label, not the start of JSON)."""
    import json

    from tuiheat.loaders import LoadError, open_source

    try:
        text = open_source(name).read_text(limit=16 * 1024**2)
    except LoadError as err:
        raise UsageError(f"--labels {display_name(name)}: {err}") from None
    try:
        labels = json.loads(text)
    except (ValueError, RecursionError):
        labels = None
    if isinstance(labels, list) and all(
        isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in labels
    ):
        return [str(x) for x in labels]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    if lines and all(line.endswith("\r") for line in lines):
        lines = [line[:-1] for line in lines]  # CRLF line ends
    return lines


def load_other(options: Options, loaded: Loaded, name: str) -> Loaded:
    """A further file of a comparison: read like the first, checked against it, no boxes."""
    from dataclasses import replace

    from tuiheat.core.compare import CompareError, check_comparable
    from tuiheat.loaders.base import ChooseArray

    path = None if name == "-" else Path(name)
    try:
        other = load_input(
            replace(options, boxes=[], sidecar=False), name, path, display_name(name)
        )
    except ChooseArray as err:
        raise UsageError(f"{display_name(name)}: {err}") from None
    try:
        loaded.notices.extend(
            check_comparable(
                loaded.tensor, other.tensor, display_name(options.file or ""), display_name(name)
            )
        )
    except CompareError as err:
        raise UsageError(str(err)) from None
    return other


def tensor_range(*loaded: Loaded, options: Options, sample: bool = False) -> Any:
    """The colour range of every slice: taken over the whole tensor(s), so heads compare."""
    from tuiheat.core.colourscale import start_range

    tensors = [item.tensor for item in loaded]
    return start_range(tensors, options.vmin, options.vmax, sample=sample)


def as_opened(loaded: Loaded, options: Options, vrange: Any = None) -> Any:
    """What the viewer needs of a loaded file, with the reloader that reads it again."""
    from tuiheat.core.catalog import Opened

    path = loaded.data_path
    return Opened(
        tensor=loaded.tensor,
        spec=loaded.spec,
        matrix=loaded.matrix,
        title=loaded.title,
        name=loaded.name,
        vrange=vrange if vrange is not None else tensor_range(loaded, options=options, sample=True),
        data_path=path,
        key=options.key,
        stamp=loaded.stamp,
        notices=loaded.notices,
        reloader=None if path is None else (lambda: read_tensor(options, str(path))),
        facet=loaded.facet,
    )


def source_of(loaded: Loaded, options: Options, name: str) -> Any:
    """One pane's data for the viewer, with how to read its file again."""
    from tuiheat.session.config import Source

    path = loaded.data_path
    reload = None if path is None else (lambda: read_tensor(options, str(path)))
    return Source(loaded.tensor, display_name(name), path, loaded.stamp, reload)


def collection_for(options: Options, root: str, catalog: Any = None) -> Any:
    """The picker's source for ``root`` (a bundle or a directory), opened with ``options``."""
    from tuiheat.session.collection import FileCollection

    return FileCollection(root, lambda path, key: open_entry(options, path, key), catalog)


def open_entry(options: Options, path: str, key: str | None) -> Any:
    """One array picked in the viewer: the command line's options apply where they fit;
    those that do not (an --axes of another array) are dropped with a notice."""
    from dataclasses import replace

    from tuiheat.loaders import LoadError

    chosen = replace(options, key=key)
    try:
        loaded = load_input(chosen, path, Path(path), display_name(path))
    except UsageError as err:
        fitted = replace(
            chosen, axes=None, slice=None, names=None, labels=None, text=None, boxes=[], facet=None
        )
        if fitted == chosen:
            raise LoadError(str(err)) from None
        loaded = load_input(fitted, path, Path(path), display_name(path))
        loaded.notices.append(f"options left out for this array: {err}")
        chosen = fitted
    return as_opened(loaded, chosen)
