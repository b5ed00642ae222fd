"""Reading delimited exports fast and without losing rows: encodings, headers, bad rows, progress.

Every file is read by pyarrow's multi-threaded CSV reader with all columns as text (so no
value can fail to load; types are checked afterwards, column by column, with vectorised
casts). Rows with the wrong number of fields are not dropped: pyarrow hands them to a callback,
and they come back at the end of the table, split as well as possible and flagged.
"""

from __future__ import annotations

import csv
import glob
import io
import os
import sys
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import FormatError, Problem

__all__ = ["DEFAULT_CHUNK_THRESHOLD", "ParseWarning", "RawTable", "read_delimited"]

#: Files larger than this (bytes) are read in blocks with a progress bar (see ``progress``).
DEFAULT_CHUNK_THRESHOLD = 512 * 2**20
#: Encodings tried in order; latin-1 accepts any byte, so reading never fails on encoding.
ENCODINGS = ("utf-8", "cp1252", "latin-1")


class ParseWarning(UserWarning):
    """Some rows of a source file could not be parsed fully; they are kept and flagged."""


@dataclass
class RawTable:
    """What :func:`read_delimited` read: text columns, plus what it had to work around."""

    frame: pd.DataFrame
    file: str
    encoding: str
    header_lines: int
    # (position in frame, file row number, column, value, expected)
    problems: list[tuple[int, object, str, object, str]] = field(default_factory=list)


def paths_from(path_or_glob: str | os.PathLike | Iterable) -> list[Path]:
    """Expand a path, a glob pattern or a list of them into existing files, in order."""
    items = [path_or_glob] if isinstance(path_or_glob, (str, os.PathLike)) else list(path_or_glob)
    paths: list[Path] = []
    for item in items:
        text = os.fspath(item)
        if any(ch in text for ch in "*?[") and not Path(text).exists():
            found = sorted(glob.glob(text))
            if not found:
                raise FormatError(f"{text}: no file matches this pattern")
            paths += [Path(p) for p in found]
        else:
            if not Path(text).is_file():
                raise FormatError(f"{text}: file not found")
            paths.append(Path(text))
    if not paths:
        raise FormatError("no file given")
    return paths


def sniff_encoding(head: bytes) -> str:
    """The encoding of the first bytes of a file: UTF-8 (BOM or not), else Windows-1252."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # a multi-byte character cut at the end of the sample is still UTF-8
        if error.start < len(head) - 3:
            return "cp1252"
    return "utf-8"


def first_rows(path: Path, delimiter: str, n: int = 2, size: int = 1 << 16) -> list[list[str]]:
    """The first ``n`` records of a file (header detection), decoded leniently."""
    with open(path, "rb") as handle:
        head = handle.read(size)
    text = head.decode(sniff_encoding(head), errors="replace").lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    for row in reader:
        rows.append(row)
        if len(rows) >= n:
            break
    return rows


class _Progress(io.RawIOBase):
    """A binary file that advances a tqdm bar as pyarrow reads it."""

    def __init__(self, path: Path, bar):
        self._file = open(path, "rb")  # noqa: SIM115 - closed in close()
        self._bar = bar

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._file.readinto(buffer)
        self._bar.update(n or 0)
        return n

    def close(self) -> None:
        self._file.close()
        super().close()


def _show_progress(progress: bool | None, size: int, threshold: int) -> bool:
    if progress is None:
        return size > threshold and sys.stderr.isatty()
    return bool(progress)


def _read_arrow(
    path: Path,
    *,
    names: Sequence[str] | None,
    delimiter: str,
    skip_after_names: int,
    newlines_in_values: bool,
    encoding: str,
    chunked: bool,
    show: bool,
    bad: list,
) -> pa.Table:
    def on_bad_row(row) -> str:
        bad.append(row)
        return "skip"

    read_options = pacsv.ReadOptions(
        column_names=list(names) if names is not None else None,
        skip_rows_after_names=skip_after_names,
        encoding=encoding,
        block_size=1 << 24 if chunked else None,
    )
    parse_options = pacsv.ParseOptions(
        delimiter=delimiter,
        newlines_in_values=newlines_in_values,
        invalid_row_handler=on_bad_row,
        # GDELT is tab-separated and unquoted: a stray quote in a name must not swallow rows
        quote_char='"' if delimiter != "\t" else False,
    )
    if names is None:
        header = first_rows(path, delimiter, n=1)
        names = header[0] if header else []
    convert_options = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in names},
        strings_can_be_null=True,
        null_values=[""],
        quoted_strings_can_be_null=True,
    )
    if not chunked:
        return pacsv.read_csv(
            path,
            read_options=read_options,
            parse_options=parse_options,
            convert_options=convert_options,
        )
    from tqdm.auto import tqdm

    with tqdm(
        total=path.stat().st_size,
        unit="B",
        unit_scale=True,
        desc=path.name,
        disable=not show,
        leave=False,
    ) as bar:
        source = io.BufferedReader(_Progress(path, bar), buffer_size=1 << 20)
        try:
            reader = pacsv.open_csv(
                source,
                read_options=read_options,
                parse_options=parse_options,
                convert_options=convert_options,
            )
            return pa.Table.from_batches(list(reader), schema=reader.schema)
        finally:
            source.close()


def _line_of(path: Path, text: str, encoding: str, after: int) -> int | None:
    """1-based line number of the first line at or after ``after`` holding ``text``."""
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if number >= after and line.rstrip("\r\n").lstrip("\ufeff") == text:
                return number
    return None


def read_delimited(
    path: Path,
    *,
    names: Sequence[str] | None = None,
    delimiter: str = ",",
    skip_after_names: int = 0,
    newlines_in_values: bool = False,
    progress: bool | None = None,
    chunk_threshold: int = DEFAULT_CHUNK_THRESHOLD,
) -> RawTable:
    """Read a delimited file as text columns, keeping every row.

    ``names`` is given for files without a header. Rows with the wrong number of fields are
    appended at the end (missing fields empty, extra fields dropped) and listed in
    ``problems``. The encoding is UTF-8 (with or without BOM), else Windows-1252, else latin-1.
    """
    size = path.stat().st_size
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    encodings = list(ENCODINGS)
    first = sniff_encoding(head)
    encodings.remove(first)
    encodings.insert(0, first)
    show = _show_progress(progress, size, chunk_threshold)
    chunked = size > chunk_threshold or bool(progress)
    table = None
    for encoding in encodings:
        bad: list = []
        try:
            table = _read_arrow(
                path,
                names=names,
                delimiter=delimiter,
                skip_after_names=skip_after_names,
                newlines_in_values=newlines_in_values,
                encoding="utf8" if encoding == "utf-8" else encoding,
                chunked=chunked,
                show=show,
                bad=bad,
            )
            break
        except (pa.ArrowInvalid, UnicodeDecodeError) as error:
            if "UTF8" in str(error) or isinstance(error, UnicodeDecodeError):
                continue  # not this encoding: try the next
            raise FormatError(f"{path}: could not be read as a delimited file ({error})") from error
    assert table is not None  # latin-1 decodes any byte
    frame = table.to_pandas()
    header_lines = (0 if names is not None else 1) + skip_after_names
    problems: list[tuple[int, object, str, object, str]] = []
    if bad:
        columns = list(frame.columns)
        extra_rows = []
        for row in bad:
            fields = next(csv.reader([row.text], delimiter=delimiter), [])
            padded = (fields + [None] * len(columns))[: len(columns)]
            extra_rows.append([None if v == "" else v for v in padded])
            line = row.number or _line_of(path, row.text, encoding, header_lines + 1)
            problems.append(
                (
                    len(frame) + len(extra_rows) - 1,
                    line,
                    "(whole row)",
                    row.text[:80],
                    f"has {row.actual_columns} fields (expected {row.expected_columns}); "
                    "kept with missing fields empty and extra fields dropped",
                )
            )
        extra = pd.DataFrame(extra_rows, columns=columns).astype(frame.dtypes.to_dict())
        frame = pd.concat([frame, extra], ignore_index=True)
    return RawTable(frame, str(path), encoding, header_lines, problems)


def flag_problems(
    raw: RawTable,
    frame: pd.DataFrame,
    checks: list[tuple[np.ndarray, str, pd.Series, str]],
) -> list[Problem]:
    """Turn failed checks into ``Problem`` objects and a ``parse_problems`` text column.

    ``checks`` holds (mask of failing rows, column, values, what is expected). Rows are
    reported by their record number in the file (the header is row 1). Only failing rows are
    visited, so the happy path costs one ``any()`` per check.
    """
    problems: list[Problem] = []
    messages: dict[int, list[str]] = {}
    n = len(frame)
    # rows appended after the parsed ones (wrong field count) carry their own line number
    file_rows = np.arange(n) + raw.header_lines + 1
    for position, line, column, value, expected in raw.problems:
        file_rows[position] = line if line is not None else -1
        problems.append(Problem(raw.file, line, column, value, expected))
        messages.setdefault(position, []).append(f"{column}: {expected}")
    for mask, column, values, expected in checks:
        if not mask.any():
            continue
        for position in np.flatnonzero(mask):
            value = values.iloc[position]
            problems.append(Problem(raw.file, int(file_rows[position]), column, value, expected))
            messages.setdefault(position, []).append(f"{column} {value!r} {expected}")
    text = pd.Series(pd.NA, index=frame.index, dtype="string")
    if messages:
        positions = sorted(messages)
        text.iloc[positions] = ["; ".join(messages[p]) for p in positions]
    frame["parse_problems"] = text
    if problems:
        shown = "\n".join(f"  - {p}" for p in problems[:5])
        more = f"\n  ... and {len(problems) - 5} more" if len(problems) > 5 else ""
        warnings.warn(
            f"{raw.file}: {len(messages)} row(s) with parse problems, kept and flagged in "
            f"column 'parse_problems' ({len(problems)} problem(s)):\n{shown}{more}",
            ParseWarning,
            stacklevel=4,
        )
    return problems
