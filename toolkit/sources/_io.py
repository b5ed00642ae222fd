"""Reading delimited exports without losing rows: archives, encodings, long records, progress.

A file (or each member of a ``.zip``, or a ``.gz``) is streamed in blocks that end at a record
boundary (a line break outside quotes), so a record of any length and quoted line breaks at any
size are read, and memory holds one block of bytes at a time besides the table being built.
Each block is checked as UTF-8; a line that is not valid UTF-8 is decoded as Windows-1252 on its
own (the rest stay UTF-8) and flagged. UTF-16 files with a byte-order mark are re-encoded on the
fly. Each block is parsed by pyarrow's multi-threaded CSV reader with every column as text (so no
value can fail to load; types are checked afterwards with vectorised casts). A record with the
wrong number of fields is kept in its place (missing fields empty, extra fields dropped) and
flagged with its line number.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import glob
import gzip
import io
import os
import sys
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import FormatError, Problem

__all__ = [
    "DEFAULT_CHUNK_THRESHOLD",
    "ParseWarning",
    "Problems",
    "RawTable",
    "Source",
    "problems",
    "read_delimited",
]

#: Files larger than this (bytes) show a progress bar when read in a terminal.
DEFAULT_CHUNK_THRESHOLD = 512 * 2**20
#: Bytes handed to the CSV parser at once (each block ends at a record boundary).
BLOCK_SIZE = 32 * 2**20
#: Bytes per parser task inside a block (pyarrow's block size; a longer record is re-parsed
#: with the whole block as one task).
PARSER_BLOCK = 2**20

_SIGNATURES = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office file (Excel .xls?)"),
    (b"%PDF", "a PDF document"),
    (b"PAR1", "an Apache Parquet file (read it with pandas.read_parquet)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"BZh", "a bzip2 archive (.bz2; decompress it first)"),
    (b"\xfd7zXZ\x00", "an xz archive (.xz; decompress it first)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (.7z; extract it first)"),
    (b"Rar!", "a RAR archive (extract it first)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"ARROW1", "an Arrow/Feather file (read it with pandas.read_feather)"),
)


class ParseWarning(UserWarning):
    """Some rows of a source file could not be parsed fully; they are kept and flagged."""


class Problems(list):
    """The problems a reader flagged: a list of :class:`toolkit.Problem` that is not copied.

    A reader puts one of these in ``.attrs["problems"]``. pandas deep-copies ``.attrs`` on
    every operation; this list is shared instead (it is not changed once built), so later
    work on a table with thousands of flagged rows stays fast. ``.frame`` gives a DataFrame
    with columns ``file, row, column, value, expected``; problems are named tuples, so pandas
    can write them as JSON where it saves ``.attrs`` (Parquet).
    """

    def __init__(self, records: Iterable[tuple] = ()):
        super().__init__(Problem(*(_plain(v) for v in r)) for r in records)

    @classmethod
    def from_problems(cls, problems: Iterable[Problem]) -> Problems:
        return cls(problems)

    def __deepcopy__(self, memo) -> Problems:
        return self  # read-only once built: pandas' attrs copies share it

    def __copy__(self) -> Problems:
        return self

    def __repr__(self) -> str:
        return f"<{len(self)} problem(s); toolkit.problems(df) gives them as a table>"

    @property
    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(list(self), columns=list(Problem._fields))
        return frame.astype({"file": "string", "column": "string", "expected": "string"})


def _plain(value):
    """A value as JSON can hold it (numpy scalars to Python, timestamps to text)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def problems(df: pd.DataFrame) -> pd.DataFrame:
    """The problems a toolkit reader flagged in ``df``, one row each.

    Columns ``file, row, column, value, expected`` (``row`` is the line number in the file; the
    header is line 1). Empty when nothing was flagged or ``df`` did not come from a reader.
    For a frame read with ``engine="dask"``, a lazy Dask frame of the same columns.

    Parameters
    ----------
    df : pandas.DataFrame or dask.dataframe.DataFrame
        A table returned by :func:`toolkit.read_acled`, :func:`toolkit.read_gdelt` or
        :func:`toolkit.read_ucdp_ged` (the problems travel in ``df.attrs``).

    Returns
    -------
    pandas.DataFrame or dask.dataframe.DataFrame
        One row per problem, columns ``file``, ``row``, ``column``, ``value``, ``expected``.

    Raises
    ------
    FormatError
        ``df`` is a Dask frame that did not come from a reader with ``engine="dask"`` (e.g. a
        selection of one).

    Examples
    --------
    An ACLED-layout row whose date was mistyped (30 February):

    >>> import pathlib, tempfile, warnings
    >>> import toolkit
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = pathlib.Path(folder.name) / "acled_one_row.csv"
    >>> _ = path.write_text(
    ...     "event_id_cnty,event_date,event_type,actor1,actor2,country,admin1,location,"
    ...     "latitude,longitude,source,notes,fatalities\\n"
    ...     "IRQ90003,2020-02-30,Explosions/Remote violence,Unidentified Armed Group (Iraq),,"
    ...     "Iraq,Baghdad,Green Zone,33.31,44.36,Shafaq News,Rockets hit the Green Zone.,0\\n"
    ... )
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # the reader also warns, with the same count
    ...     events = toolkit.read_acled(path)
    >>> table = toolkit.problems(events)
    >>> table[["row", "column", "value"]].values.tolist()
    [[2, 'event_date', '2020-02-30']]
    >>> table.loc[0, "expected"]
    'is an impossible date (that month has no such day); left empty, not rolled over'
    >>> len(toolkit.problems(toolkit.load_events()))  # not read by a reader: nothing flagged
    0
    >>> folder.cleanup()
    """
    from ..scale import is_dask

    if is_dask(df):  # read with engine="dask": a lazy table of every partition's problems
        from ..scale import problems_of

        return problems_of(df)
    found = df.attrs.get("problems")
    if isinstance(found, Problems):
        return found.frame
    return Problems.from_problems(found or []).frame


@dataclass
class RawTable:
    """What :func:`read_delimited` read: text columns, plus what it had to work around."""

    frame: pd.DataFrame
    file: str
    encoding: str
    header_lines: int
    # (position in frame, file line number, column, value, expected)
    problems: list[tuple[int, object, str, object, str]] = field(default_factory=list)
    # file line number of each row (where its record starts)
    lines: np.ndarray | None = None
    header: list[str] = field(default_factory=list)
    # (name, rows) of each archive member, when several were read as one table
    parts: list[tuple[str, int]] = field(default_factory=list)

    def file_at(self, position: int) -> str:
        """The file (or archive member) row ``position`` came from."""
        for name, rows in self.parts:
            if position < rows:
                return name
            position -= rows
        return self.file


@dataclass(frozen=True)
class Source:
    """One readable text stream: a file, a ``.gz`` file, or one member of a ``.zip``."""

    path: Path
    member: str | None = None
    compression: str | None = None

    @property
    def name(self) -> str:
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    def open(self, progress=None):
        """The decompressed bytes (a binary file object); ``progress`` counts bytes on disk."""
        raw = open(self.path, "rb")  # noqa: SIM115 - closed with the returned stream
        handle = _Counting(raw, progress) if progress is not None else raw
        if self.compression == "gzip":
            return gzip.GzipFile(fileobj=handle, mode="rb")
        if self.compression == "zip":
            archive = zipfile.ZipFile(handle)
            return _Closing(archive.open(self.member), (archive, handle))
        return handle


class _Counting(io.RawIOBase):
    """A binary file that advances a tqdm bar by the bytes read from disk."""

    def __init__(self, handle, bar):
        self._handle, self._bar = handle, bar

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._handle.seekable()

    def seek(self, offset, whence=0):
        return self._handle.seek(offset, whence)

    def tell(self):
        return self._handle.tell()

    def readinto(self, buffer) -> int:
        n = self._handle.readinto(buffer)
        self._bar.update(n or 0)
        return n

    def close(self) -> None:
        self._handle.close()
        super().close()


class _Closing(io.RawIOBase):
    """A stream that closes its archive and file with itself."""

    def __init__(self, stream, others):
        self._stream, self._others = stream, others

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size=-1):
        return self._stream.read(size)

    def close(self) -> None:
        self._stream.close()
        for other in self._others:
            other.close()
        super().close()


def describe_binary(head: bytes) -> str | None:
    """What a file that is not delimited text looks like (None when it looks like text)."""
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return what
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return None
    sample = head[:4096]
    if b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > len(sample) // 4 and even == 0:
            return "UTF-16 (little-endian) text without a byte-order mark; re-save it as UTF-8"
        if even > len(sample) // 4 and odd == 0:
            return "UTF-16 (big-endian) text without a byte-order mark; re-save it as UTF-8"
        return f"binary data (starts {sample[:16]!r})"
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and control > len(sample) // 20:
        return f"binary data (starts {sample[:16]!r})"
    return None


def _zip_members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        names = [i.filename for i in archive.infolist() if not i.is_dir()]
    if any(n.startswith("xl/") for n in names) and "[Content_Types].xml" in names:
        raise FormatError(
            f"{path}: is an Excel workbook (.xlsx), not a delimited text file; save the sheet "
            "as CSV (UTF-8) and read that"
        )
    if any(n.startswith("word/") for n in names) or any(n.endswith(".odt") for n in names):
        raise FormatError(f"{path}: is a word-processor document, not a delimited text file")
    skip = ("__MACOSX/", ".DS_Store")
    data = [n for n in names if not n.startswith(skip) and not n.endswith(skip)]
    text = [n for n in data if not n.lower().endswith((".txt", ".pdf", ".md", ".xlsx", ".xls"))]
    members = text or data
    if not members:
        raise FormatError(f"{path}: is a zip archive with no file in it")
    return members


def sources_of(path: Path) -> list[Source]:
    """The readable streams of ``path``: itself, its gzip content, or each zip member.

    Raises :class:`toolkit.FormatError` naming what the file looks like when it is neither
    delimited text nor an archive of it.
    """
    with open(path, "rb") as handle:
        head = handle.read(1 << 12)
    if head.startswith(b"\x1f\x8b"):
        source = Source(path, compression="gzip")
        try:
            with source.open() as stream:
                inner = stream.read(1 << 12)
        except (OSError, EOFError) as error:
            raise FormatError(f"{path}: is a damaged gzip archive ({error})") from error
        what = describe_binary(inner)
        if what:
            raise FormatError(f"{path}: is a gzip archive holding {what}, not delimited text")
        return [source]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            members = _zip_members(path)
        except zipfile.BadZipFile as error:
            raise FormatError(f"{path}: is a damaged zip archive ({error})") from error
        out = []
        for member in members:
            source = Source(path, member, "zip")
            with source.open() as stream:
                what = describe_binary(stream.read(1 << 12))
            if what:
                raise FormatError(
                    f"{source.name}: the zip member is {what}, not delimited text "
                    f"(members: {', '.join(members)})"
                )
            out.append(source)
        return out
    what = describe_binary(head)
    if what:
        raise FormatError(
            f"{path}: is {what}, not a delimited text file (accepted: CSV or tab-separated "
            "text in UTF-8, UTF-16 with a byte-order mark or Windows-1252, or such a file in a "
            ".gz or .zip archive)"
        )
    return [Source(path)]


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


def _utf16(stream, encoding: str) -> Iterator[bytes]:
    decoder = codecs.getincrementaldecoder(encoding)()
    while True:
        data = stream.read(1 << 22)
        text = decoder.decode(data, final=not data)
        if text:
            yield text.encode("utf-8")
        if not data:
            return


def _raw_chunks(stream) -> tuple[str, Iterator[bytes]]:
    """The stream's encoding family and its content as UTF-8-or-other bytes (BOM removed)."""
    head = stream.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"

        def chunks():
            yield from _utf16(_Prefixed(head[2:], stream), encoding)

        return "utf-16", chunks()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]

    def plain():
        if head:
            yield head
        while True:
            data = stream.read(1 << 23)
            if not data:
                return
            yield data

    return "utf-8", plain()


class _Prefixed:
    def __init__(self, prefix: bytes, stream):
        self._prefix, self._stream = prefix, stream

    def read(self, size: int) -> bytes:
        if self._prefix:
            out, self._prefix = self._prefix, b""
            return out + self._stream.read(max(size - len(out), 0))
        return self._stream.read(size)


def _split_point(buffer: bytes, quoted: bool, quotes: int) -> int:
    """Index just after the last record-ending line break of ``buffer`` (0 when none).

    ``buffer`` starts at a record boundary and holds ``quotes`` quote characters; a line break
    ends a record when the quotes before it are even. Only the tail after each candidate line
    break is counted again.
    """
    position = len(buffer)
    while True:
        position = buffer.rfind(b"\n", 0, position)
        if position < 0:
            return 0
        if not quoted or (quotes - buffer.count(b'"', position)) % 2 == 0:
            return position + 1


def _blocks(chunks: Iterator[bytes], quoted: bool, size: int) -> Iterator[bytes]:
    """Complete records, about ``size`` bytes at a time (longer when one record is longer)."""
    parts: list[bytes] = []
    held = quotes = 0
    for chunk in chunks:
        parts.append(chunk)
        held += len(chunk)
        quotes += chunk.count(b'"') if quoted else 0
        if held < size:
            continue
        pending = b"".join(parts)
        cut = _split_point(pending, quoted, quotes)
        if cut:
            yield pending[:cut]
            pending = pending[cut:]
            quotes = pending.count(b'"') if quoted else 0
        parts, held = [pending], len(pending)
    pending = b"".join(parts)
    if pending:
        yield pending if pending.endswith(b"\n") else pending + b"\n"


def _repair_utf8(block: bytes, first_line: int) -> tuple[bytes, list[tuple[int, str]], bool]:
    """UTF-8 ``block`` with each invalid line decoded as Windows-1252 instead.

    Returns the block, the repaired lines (line number, decoded text) and whether the valid
    part held non-ASCII text (so the file is UTF-8 rather than wholly Windows-1252).
    """
    if block.isascii():
        return block, [], False
    try:
        block.decode("utf-8")
        return block, [], True
    except UnicodeDecodeError:
        pass
    parts, repaired, other_text = [], [], False
    line = first_line
    for raw in block.splitlines(keepends=True):
        try:
            other_text |= not raw.decode("utf-8").isascii()
            parts.append(raw)
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
            if "\ufffd" in text:  # the five bytes cp1252 leaves undefined: take them as latin-1
                text = raw.decode("latin-1")
            parts.append(text.encode("utf-8"))
            repaired.append((line, text.rstrip("\r\n")))
        line += raw.count(b"\n")
    return b"".join(parts), repaired, other_text


def _record_starts(block: bytes, quoted: bool) -> tuple[np.ndarray, np.ndarray]:
    """Byte offsets where the records of ``block`` start and end (blank lines left out)."""
    data = np.frombuffer(block, dtype=np.uint8)
    newlines = np.flatnonzero(data == 10)
    if quoted:
        quotes = np.flatnonzero(data == 34)
        ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
    else:
        ends = newlines
    starts = np.concatenate([[0], ends[:-1] + 1])
    length = ends - starts
    # a record of nothing (or only "\r") is a blank line: the parser skips it
    blank = (length == 0) | ((length == 1) & (data[np.maximum(ends - 1, 0)] == 13))
    return starts[~blank], ends[~blank]


def _fields(text: str, delimiter: str, quoted: bool) -> list[str]:
    if not quoted:
        return text.rstrip("\r").split(delimiter)
    return next(csv.reader([text.rstrip("\r")], delimiter=delimiter), [])


def _parse(block: bytes, names: Sequence[str], delimiter: str, quoted: bool, bad: list):
    def on_bad_row(row) -> str:
        bad.append(row)
        return "skip"

    def read(block_size: int | None):
        return pacsv.read_csv(
            pa.BufferReader(block),
            read_options=pacsv.ReadOptions(
                column_names=list(names), block_size=block_size, encoding="utf8"
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=quoted,
                invalid_row_handler=on_bad_row,
                # GDELT is tab-separated and unquoted: a stray quote must not swallow rows
                quote_char='"' if quoted else False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )

    try:
        return read(PARSER_BLOCK)
    except pa.ArrowInvalid as error:
        if "straddl" not in str(error) and "block" not in str(error):
            raise
        bad.clear()  # a record longer than the parser's block: parse the block whole
        return read(len(block) + 1)


def _show_progress(progress: bool | None, size: int, threshold: int) -> bool:
    if progress is None:
        return size > threshold and sys.stderr.isatty()
    return bool(progress)


def first_rows(source: Source | Path, delimiter: str, n: int = 2, size: int = 1 << 16):
    """The first ``n`` records of a file (header detection), decoded leniently."""
    source = source if isinstance(source, Source) else sources_of(Path(source))[0]
    with source.open() as stream:
        _, chunks = _raw_chunks(stream)
        head = b""
        for chunk in chunks:
            head += chunk
            if len(head) >= size:
                break
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        text = head[: error.start].decode("utf-8") if error.start > len(head) - 4 else None
        if text is None:
            text = head.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    for row in reader:
        if not row:
            continue
        rows.append(row)
        if len(rows) >= n:
            break
    return rows


def read_delimited(
    source: Source | Path,
    *,
    names: Sequence[str] | None = None,
    delimiter: str = ",",
    skip_after_names: int = 0,
    newlines_in_values: bool = True,
    progress: bool | None = None,
    chunk_threshold: int = DEFAULT_CHUNK_THRESHOLD,
    block_size: int | None = None,
) -> RawTable:
    """Read a delimited file (or archive member) as text columns, keeping every row in order.

    ``names`` is given for files without a header; otherwise the first record is the header
    and ``skip_after_names`` more records are skipped (HXL tags). Rows with the wrong number of
    fields stay in place (missing fields empty, extra fields dropped) and are listed in
    ``problems``, as are lines decoded as Windows-1252. ``lines`` gives each row's line.
    Quoted fields may always hold line breaks (``newlines_in_values`` is kept for callers
    written before; tab-separated files are read unquoted, as GDELT writes them).
    """
    source = source if isinstance(source, Source) else sources_of(Path(source))[0]
    # GDELT is tab-separated and unquoted; every other format quotes (line breaks may be quoted)
    quoted = delimiter != "\t"
    size = source.path.stat().st_size
    show = _show_progress(progress, size, chunk_threshold)
    tables, lines, problems = [], [], []
    repaired_lines, other_text = 0, False
    n_rows, line = 0, 1
    header: list[str] = list(names) if names is not None else []
    skip = 0 if names is not None else 1 + skip_after_names
    with contextlib.ExitStack() as stack:
        bar = None
        if show:  # tqdm only when shown (in a notebook even a disabled bar writes to stderr)
            from tqdm.auto import tqdm

            bar = stack.enter_context(
                tqdm(total=size, unit="B", unit_scale=True, desc=source.path.name, leave=False)
            )
        stream = stack.enter_context(source.open(bar))
        family, chunks = _raw_chunks(stream)
        for block in _blocks(chunks, quoted, block_size or BLOCK_SIZE):
            block, repaired, text_seen = _repair_utf8(block, line)
            other_text |= text_seen
            starts = ends = None
            if skip:
                starts, ends = _record_starts(block, quoted)
                taken = min(skip, len(starts))
                if not header and taken:
                    first = block[starts[0] : ends[0]].decode("utf-8")
                    header = [c.strip() for c in _fields(first, delimiter, quoted)]
                cut = int(ends[taken - 1]) + 1 if taken else 0
                line += block.count(b"\n", 0, cut)
                repaired = [(n, t) for n, t in repaired if n >= line]
                block, skip = block[cut:], skip - taken
                starts = ends = None
                if not block:
                    continue
            bad: list = []
            table = _parse(block, header, delimiter, quoted, bad)
            n_lines = block.count(b"\n")
            if bad or table.num_rows != n_lines:
                starts, ends = _record_starts(block, quoted)
                record_lines = _lines_of(block, starts, line)
            else:
                record_lines = np.arange(line, line + n_lines, dtype=np.int64)
            if bad:
                table, fixed = _fix_ragged(block, starts, ends, header, delimiter, quoted)
                for position, fields in fixed:
                    problems.append(
                        (
                            n_rows + position,
                            int(record_lines[position]),
                            "(whole row)",
                            block[starts[position] : ends[position]]
                            .decode("utf-8")
                            .rstrip("\r")[:80],
                            f"has {fields} fields (expected {len(header)}); kept with missing "
                            "fields empty and extra fields dropped",
                        )
                    )
            for number, text in repaired:
                position = int(np.searchsorted(record_lines, number, side="right")) - 1
                problems.append(
                    (
                        n_rows + max(position, 0),
                        number,
                        "(whole row)",
                        text[:80],
                        "is not valid UTF-8; decoded as Windows-1252 (check its accents)",
                    )
                )
            repaired_lines += len(repaired)
            tables.append(table)
            lines.append(record_lines)
            n_rows += table.num_rows
            line += n_lines
    if not header:
        raise FormatError(f"{source.name}: is empty (no header and no rows)")
    if tables:
        table = pa.concat_tables(tables)
    else:
        table = pa.table({name: pa.array([], pa.string()) for name in header})
    frame = table.to_pandas()
    frame.columns = list(header)
    encoding = family
    if repaired_lines:
        encoding = f"utf-8 ({repaired_lines} line(s) decoded as cp1252)" if other_text else "cp1252"
    raw = RawTable(
        frame,
        source.name,
        encoding,
        0 if names is not None else 1 + skip_after_names,
        problems,
        np.concatenate(lines) if lines else np.zeros(0, dtype=np.int64),
        header,
    )
    return raw


def _lines_of(block: bytes, starts: np.ndarray, first_line: int) -> np.ndarray:
    data = np.frombuffer(block, dtype=np.uint8)
    newlines = np.flatnonzero(data == 10)
    return first_line + np.searchsorted(newlines, starts)


def _fix_ragged(block, starts, ends, header, delimiter, quoted):
    """Re-parse a block whose records do not all have ``len(header)`` fields, in file order."""
    width = len(header)
    rows, fixed = [], []
    for position, (start, end) in enumerate(zip(starts, ends, strict=True)):
        fields = _fields(block[start:end].decode("utf-8"), delimiter, quoted)
        if len(fields) != width:
            fixed.append((position, len(fields)))
            fields = (fields + [""] * width)[:width]
        rows.append(fields)
    columns = list(zip(*rows, strict=True)) if rows else [()] * width
    table = pa.table(
        {
            str(i): pa.array([v if v != "" else None for v in column], pa.string())
            for i, column in enumerate(columns)
        }
    )
    return table.rename_columns(list(header)), fixed


def flag_problems(
    raw: RawTable,
    frame: pd.DataFrame,
    checks: list[tuple[np.ndarray, str, pd.Series, str]],
    *,
    warn: bool = True,
) -> Problems:
    """Turn failed checks into :class:`Problems` and a ``parse_problems`` text column.

    ``checks`` holds (mask of failing rows, column, values, what is expected). Rows are
    reported by their line in the file (the header is line 1). Only failing rows are visited,
    so the happy path costs one ``any()`` per check.
    """
    records: list[tuple] = []
    messages: dict[int, list[str]] = {}
    lines = raw.lines if raw.lines is not None else np.arange(len(frame)) + raw.header_lines + 1
    for position, line, column, value, expected in raw.problems:
        records.append((raw.file_at(position), line, column, value, expected))
        messages.setdefault(position, []).append(f"{column}: {expected}")
    for mask, column, values, expected in checks:
        if not mask.any():
            continue
        for position in np.flatnonzero(mask):
            value = values.iloc[position]
            value = None if value is pd.NA else value
            records.append((raw.file_at(position), int(lines[position]), column, value, expected))
            messages.setdefault(position, []).append(f"{column} {value!r} {expected}")
    text = pd.Series(pd.NA, index=frame.index, dtype="string")
    if messages:
        positions = sorted(messages)
        text.iloc[positions] = ["; ".join(messages[p]) for p in positions]
    frame["parse_problems"] = text
    records.sort(key=lambda r: r[1] if isinstance(r[1], int) else -1)  # in file order
    found = Problems(records)
    if records and warn:
        shown = "\n".join(f"  - {p}" for p in found[:5])
        more = f"\n  ... and {len(found) - 5} more" if len(found) > 5 else ""
        warnings.warn(
            f"{raw.file}: {len(messages)} row(s) with parse problems, kept and flagged in "
            f"column 'parse_problems' ({len(found)} problem(s); toolkit.problems(df) lists "
            f"them):\n{shown}{more}",
            ParseWarning,
            stacklevel=4,
        )
    return found


def combine(raws: list[RawTable]) -> RawTable:
    """Several archive members read alike, as one table (their headers must agree)."""
    if len(raws) == 1:
        return raws[0]
    first = raws[0]
    for other in raws[1:]:
        if other.header != first.header:
            raise FormatError(
                f"{other.file}: its columns differ from {first.file}'s "
                f"({', '.join(other.header[:8])} ... vs {', '.join(first.header[:8])} ...)"
            )
    frames, problems, lines, offset = [], [], [], 0
    for raw in raws:
        frames.append(raw.frame)
        problems += [(p + offset, *rest) for p, *rest in raw.problems]
        lines.append(raw.lines)
        offset += len(raw.frame)
    encodings = sorted({r.encoding for r in raws})
    return RawTable(
        pd.concat(frames, ignore_index=True),
        str(first.file).split("!")[0],
        encodings[0] if len(encodings) == 1 else "; ".join(encodings),
        first.header_lines,
        problems,
        np.concatenate(lines),
        first.header,
        [(r.file, len(r.frame)) for r in raws],
    )
