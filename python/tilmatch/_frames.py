"""DataFrames and paths in, C++ tables out; errors about a DataFrame name its row and column.

A DataFrame is written, with its TCRrep columns only, as a tcrdist3-layout TSV into a private
temporary folder and read by the CLI's own reader (io/repertoire.cpp), so that CDR3 checks,
gene-name normalisation and skip rules are the CLI's, not a second copy of them.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path
from typing import Iterator, Optional, Sequence, Union

import pandas as pd

from . import _core

#: tcrdist3's TCRrep columns, in the order they are written.
TCRREP_COLUMNS = ("cdr3_b_aa", "v_b_gene", "j_b_gene", "cdr3_a_aa", "v_a_gene", "j_a_gene", "count")
#: Labelled references (`tilmatch predict`) carry these too.
LABEL_COLUMNS = ("epitope", "label")

Source = Union[str, os.PathLike, pd.DataFrame]

_LINE = re.compile(r"\bline (\d+)")


class Staging:
    """Temporary files for the DataFrames of one call; maps errors about them back to rows."""

    def __init__(self, folder: str):
        self._folder = Path(folder)
        self._frames: dict[str, tuple[str, pd.DataFrame]] = {}  # temp path -> (label, frame)

    def path_of(self, source: Source, label: str, extra: Sequence[str] = ()) -> str:
        """The path the CLI's readers take for `source` (a DataFrame is written first)."""
        if not isinstance(source, pd.DataFrame):
            return os.fspath(source)
        frame = source
        if "cdr3_b_aa" not in frame.columns:
            raise input_error(
                label, "", "no column 'cdr3_b_aa' (tcrdist3 TCRrep names: " + ", ".join(TCRREP_COLUMNS) + ")"
            )
        columns = [c for c in (*TCRREP_COLUMNS, *extra) if c in frame.columns]
        out = frame.loc[:, columns].copy()
        # tcrdist3's ids: clone_id when the frame has one, else its index.
        ids = frame["clone_id"] if "clone_id" in frame.columns else frame.index.to_series(index=frame.index)
        out.insert(0, "clone_id", ids.astype(str).to_numpy())
        path = self._folder / f"{len(self._frames)}.tsv"
        out.to_csv(path, sep="\t", index=False, na_rep="")
        self._frames[str(path)] = (label, frame)
        return str(path)

    def scratch(self, name: str) -> Path:
        """A path for an output of this call, removed with the folder."""
        return self._folder / name

    def translate(self, error: _core.InputError) -> Optional[_core.InputError]:
        """The same error naming the DataFrame, row (position and index label) and column; None
        when it is about no DataFrame of this call."""
        file = getattr(error, "file", "")
        if file not in self._frames:
            return None
        label, frame = self._frames[file]
        where = getattr(error, "where", "")
        text = str(error)
        prefix = f"{file}, {where}: " if where else f"{file}: "
        message = text[len(prefix):] if text.startswith(prefix) else text

        def row(match: re.Match) -> str:
            position = int(match.group(1)) - 2  # line 1 is the header
            if 0 <= position < len(frame):
                return f"row {position} (index {frame.index[position]!r})"
            return match.group(0)

        return input_error(label, _LINE.sub(row, where), message)


def input_error(file: str, where: str, message: str) -> _core.InputError:
    """An InputError as the C++ library makes them: "file, where: message", with .file and .where."""
    error = _core.InputError(f"{file}, {where}: {message}" if where else f"{file}: {message}")
    error.file = file
    error.where = where
    return error


@contextlib.contextmanager
def staging() -> Iterator[Staging]:
    """A Staging whose files are removed at the end; InputErrors about its frames are re-raised
    naming the frame's rows."""
    with tempfile.TemporaryDirectory(prefix="tilmatch-") as folder:
        stage = Staging(folder)
        try:
            yield stage
        except _core.InputError as error:
            better = stage.translate(error)
            if better is None:
                raise
            raise better from None


def read_repertoire(stage: Staging, source: Source, label: str, format: str = "auto") -> _core.Table:
    if isinstance(source, pd.DataFrame):
        return _core.read_repertoire(stage.path_of(source, label), "tcrdist")
    return _core.read_repertoire(stage.path_of(source, label), format)


def read_reference(stage: Staging, source: Source, label: str, format: str = "auto") -> _core.Table:
    """A path is read as the CLI reads --reference (a database, else a repertoire); a DataFrame is
    a repertoire (no epitope annotation)."""
    if isinstance(source, pd.DataFrame):
        return _core.read_repertoire(stage.path_of(source, label), "tcrdist")
    return _core.read_reference(stage.path_of(source, label), format)


def read_tsv(path: Union[str, os.PathLike]) -> pd.DataFrame:
    """A TSV written by tilmatch: `NA` is the only missing value (docs/formats.md)."""
    return pd.read_csv(path, sep="\t", keep_default_na=False, na_values=["NA"])
