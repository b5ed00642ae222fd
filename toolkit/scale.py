"""The toolkit on Dask: the same readers, selection and counts on data larger than memory.

Needs the ``scale`` extra (``pip install ".[scale]"``: ``dask[dataframe]``, ``dask-geopandas``,
``distributed``). Nothing here starts a scheduler or a cluster: the work runs on whatever
``dask.distributed`` client the caller made (a ``LocalCluster``, an existing cluster reached by
its address, dask-jobqueue, Kubernetes), or on Dask's default threads when there is none.

* ``toolkit.read_gdelt(files, engine="dask")`` (and ``read_acled`` / ``read_ucdp_ged``): one
  partition per file, archive member or block, each read and mapped to the event schema by the
  pandas engine's own code (:func:`toolkit.sources.gdelt.read_part`), so ``.compute()`` gives
  the pandas engine's rows. :func:`toolkit.problems` of such a frame is a lazy table of the
  problems of every partition.
* :func:`toolkit.select_attacks_on_us`, :func:`toolkit.weekly_counts` and
  :func:`toolkit.compare_sources` accept these frames and stay lazy: selection gives a lazy
  frame (partition by partition: the rule looks at one row at a time), the counts give a
  ``dask.delayed`` object whose ``.compute()`` is the pandas result.
* :func:`to_parquet` / :func:`read_parquet`: partitioned GeoParquet of a canonical frame, so a
  selection is computed once and read again (with filters pushed down to the Parquet reader).
"""

from __future__ import annotations

import itertools
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import FormatError

__all__ = [
    "DEFAULT_BLOCKSIZE",
    "compare_sources_lazy",
    "is_dask",
    "read_parquet",
    "select_attacks_on_us_lazy",
    "to_parquet",
    "weekly_counts_lazy",
]

#: Uncompressed GDELT files larger than this are read as several partitions (bytes).
DEFAULT_BLOCKSIZE = 256 * 2**20


def is_dask(obj) -> bool:
    """Whether ``obj`` is a Dask collection (checked without importing Dask).

    The test looks at the module of ``obj``'s type (``dask.``, ``dask_geopandas``,
    ``dask_expr``), so calling it on a pandas frame never imports Dask.

    Parameters
    ----------
    obj : object
        Anything, typically a pandas or Dask (Geo)DataFrame.

    Returns
    -------
    bool
        True for a Dask DataFrame, Series, ``dask_geopandas`` frame or ``dask.delayed``
        object; False otherwise.

    Examples
    --------
    >>> import dask_geopandas
    >>> import toolkit
    >>> events = toolkit.load_events()
    >>> lazy = dask_geopandas.from_geopandas(events, npartitions=2)
    >>> from toolkit.scale import is_dask
    >>> is_dask(lazy), is_dask(events), is_dask([1, 2])
    (True, False, False)
    """
    module = getattr(type(obj), "__module__", "") or ""
    return module.startswith(("dask.", "dask_geopandas", "dask_expr"))


def _need_dask():
    try:
        import dask
        import dask.dataframe as dd
        import dask_geopandas  # noqa: F401 - registers the GeoDataFrame collection
    except ImportError as error:
        raise FormatError(
            f"engine='dask' needs the scale extra ({error.name} is not installed): "
            'pip install "iraq-escalation-toolkit[scale]" (or ".[scale]" in a checkout)'
        ) from error
    return dask, dd


# --- reading ---------------------------------------------------------------------------------


def _block_source_class():
    from .sources._io import Source

    @dataclass(frozen=True)
    class BlockSource(Source):
        """Bytes ``start`` to ``stop`` of an uncompressed file (both at line starts)."""

        start: int = 0
        stop: int | None = None

        def open(self, progress=None):
            handle = open(self.path, "rb")  # noqa: SIM115 - closed with the returned stream
            handle.seek(self.start)
            return _Limited(handle, (self.stop or os.path.getsize(self.path)) - self.start)

    return BlockSource


class _Limited:
    """A binary stream that ends after ``left`` bytes."""

    def __init__(self, handle, left: int):
        self._handle, self._left = handle, left

    def read(self, size: int = -1) -> bytes:
        size = self._left if size is None or size < 0 else min(size, self._left)
        data = self._handle.read(size)
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _next_line_start(path: Path, offset: int, size: int) -> int:
    """The first line start at or after ``offset`` (GDELT is unquoted: a line is a record)."""
    with open(path, "rb") as handle:
        handle.seek(offset - 1)
        while True:
            chunk = handle.read(1 << 16)
            if not chunk:
                return size
            found = chunk.find(b"\n")
            if found >= 0:
                return handle.tell() - len(chunk) + found + 1


def split_sources(sources: list, blocksize: int | None) -> list:
    """Large uncompressed files as blocks that start at line starts; others as they are."""
    size_limit = blocksize or DEFAULT_BLOCKSIZE
    block_class = None
    out = []
    for source in sources:
        size = source.path.stat().st_size
        if source.compression is not None or size <= size_limit:
            out.append(source)
            continue
        with open(source.path, "rb") as handle:
            if handle.read(2) in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: read whole
                out.append(source)
                continue
        block_class = block_class or _block_source_class()
        cuts = [0]
        while cuts[-1] < size:
            cuts.append(_next_line_start(source.path, min(cuts[-1] + size_limit, size), size))
            if cuts[-1] >= size:
                cuts[-1] = size
        for start, stop in itertools.pairwise(cuts):
            out.append(block_class(source.path, None, None, start, stop))
    return out


def _lines_before(path: Path, offset: int) -> int:
    count = 0
    with open(path, "rb") as handle:
        left = offset
        while left:
            chunk = handle.read(min(left, 1 << 24))
            if not chunk:
                break
            count += chunk.count(b"\n")
            left -= len(chunk)
    return count


def _gdelt_part(source, to_canonical: bool, filters):
    """One partition: the pandas engine's reading, typing, filtering and mapping."""
    from .sources import gdelt

    start = getattr(source, "start", 0)
    # no warning on a worker: the problems are in the table and in parse_problems
    typed, found, _ = gdelt.read_part(source, progress=False, warn=False)
    if start and found:
        shift = _lines_before(source.path, start)
        found = [p._replace(row=p.row + shift) if isinstance(p.row, int) else p for p in found]
    frame = gdelt.conform(typed)
    if filters is not None:
        frame = filters.apply(frame)
    if to_canonical:
        frame = gdelt._canonical(frame)
    frame.attrs = {}
    return frame, problems_frame(found)


def _gdelt_meta(to_canonical: bool):
    """An empty partition with the dtypes of a real one (no file read)."""
    from .sources import gdelt
    from .sources._io import RawTable, flag_problems

    empty = pd.DataFrame({c: pd.Series([], dtype="str") for c in gdelt.GDELT2_COLUMNS})
    raw = RawTable(empty, "", "utf-8", 0, [], np.zeros(0, dtype=np.int64), [])
    typed, checks = gdelt._typed(empty)
    flag_problems(raw, typed, checks)
    typed["file"] = pd.Series([], dtype="str")
    frame = gdelt.conform(typed)
    return gdelt._canonical(frame) if to_canonical else frame


def _unknown_country(meta):
    from dask.dataframe.utils import clear_known_categories

    columns = [c for c in ("country",) if c in meta.columns]
    return clear_known_categories(meta, cols=columns) if columns else meta


def problems_frame(found) -> pd.DataFrame:
    """:attr:`Problems.frame` with ``value`` as text (Dask would turn the mixed ``object``
    column into text anyway; this way every partition and the meta agree)."""
    from .sources._io import Problems

    frame = Problems(found).frame
    frame["value"] = frame["value"].astype("string")
    return frame


def _problems_meta() -> pd.DataFrame:
    return problems_frame([])


def _collections(parts, meta, pieces):
    """The frame and problems collections of delayed ``(frame, problems)`` pairs."""
    import operator

    dask, dd = _need_dask()
    frames = [dask.delayed(operator.getitem)(p, 0) for p in parts]
    found = [dask.delayed(operator.getitem)(p, 1) for p in parts]
    frame = dd.from_delayed(frames, meta=meta, verify_meta=False)
    problems = dd.from_delayed(found, meta=_problems_meta(), verify_meta=False)
    frame._toolkit_problems = problems
    frame._toolkit_pieces = pieces
    return frame


def read_gdelt_dask(sources: list, *, to_canonical: bool, filters, blocksize: int | None):
    """:func:`toolkit.read_gdelt` with ``engine="dask"`` (sources already found)."""
    dask, _ = _need_dask()
    from .sources import gdelt

    pieces = split_sources(sources, blocksize)
    for source in pieces:
        if getattr(source, "start", 0) == 0:
            gdelt._detect(source)  # a file that is not GDELT fails now, not on a worker
    meta = _unknown_country(_gdelt_meta(to_canonical))
    part = dask.delayed(_gdelt_part, pure=True)
    parts = [part(s, to_canonical, filters) for s in pieces]
    return _collections(parts, meta, [s.name for s in pieces])


def _file_part(reader, path, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = reader(path, **kwargs)
    found = frame.attrs.get("problems") or []
    frame.attrs = {}
    return frame, problems_frame(found)


def _conform_to(frame: pd.DataFrame, meta: pd.DataFrame, path) -> pd.DataFrame:
    if list(frame.columns) != list(meta.columns):
        missing = [c for c in meta.columns if c not in frame.columns]
        extra = [c for c in frame.columns if c not in meta.columns]
        raise FormatError(
            f"{path}: its columns differ from the first file's (missing: {missing[:8]}, "
            f"extra: {extra[:8]}); read files with different column sets separately"
        )
    return frame


def _checked_part(reader, path, kwargs, columns):
    frame, found = _file_part(reader, path, kwargs)
    return _conform_to(frame, pd.DataFrame(columns=columns), path), found


def read_files_dask(reader, path_or_glob, **kwargs):
    """``reader`` (read_acled, read_ucdp_ged) on each file as one partition.

    The first file's column set (read at once, to give the frame its ``meta``) is the one
    every file must have.
    """
    dask, _ = _need_dask()
    from .sources._io import paths_from

    paths = paths_from(path_or_glob)
    first, _ = _file_part(reader, paths[0], kwargs)
    meta = _unknown_country(first.iloc[:0])
    columns = list(meta.columns)
    part = dask.delayed(_checked_part, pure=True)
    parts = [part(reader, p, kwargs, columns) for p in paths]
    return _collections(parts, meta, [str(p) for p in paths])


def problems_of(frame):
    """The lazy problems table of a frame a reader returned with ``engine="dask"``."""
    found = getattr(frame, "_toolkit_problems", None)
    if found is None:
        raise FormatError(
            "toolkit.problems needs the frame read_gdelt/read_acled/read_ucdp_ged returned "
            "with engine='dask' (a frame derived from it, e.g. a selection, no longer holds the "
            "table; its parse_problems column still says what was wrong with each row)"
        )
    return found


# --- selection and counts --------------------------------------------------------------------


def select_attacks_on_us_lazy(frame, *, keep_all: bool = False):
    """:func:`toolkit.select_attacks_on_us` partition by partition (lazy).

    The rule looks at one row at a time, so each partition is selected on its own; nothing is
    computed until ``.compute()`` (``toolkit.select_attacks_on_us`` calls this for a Dask
    frame).

    Parameters
    ----------
    frame : dask.dataframe.DataFrame or dask_geopandas.GeoDataFrame
        Events in the canonical schema (e.g. ``read_gdelt(..., engine="dask")``).
    keep_all : bool, default False
        Keep every row, with a boolean ``selected`` column.

    Returns
    -------
    dask.dataframe.DataFrame or dask_geopandas.GeoDataFrame
        Lazy frame of the selected rows (or every row) with ``selected_because``.

    Examples
    --------
    >>> import dask_geopandas
    >>> import toolkit
    >>> events = toolkit.load_events()
    >>> lazy = dask_geopandas.from_geopandas(events, npartitions=2)
    >>> from toolkit.scale import select_attacks_on_us_lazy
    >>> selected = select_attacks_on_us_lazy(lazy)
    >>> type(selected).__module__.split(".")[0]
    'dask_geopandas'
    >>> len(selected.compute()) == len(toolkit.select_attacks_on_us(events))
    True
    """
    from .sources.select import select_attacks_on_us

    meta = select_attacks_on_us(frame._meta, keep_all=keep_all)
    meta.attrs = {}
    return frame.map_partitions(select_attacks_on_us, keep_all=keep_all, meta=meta)


def _date_counts(part: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Rows per distinct combination of ``columns`` (missing values kept as a group)."""
    if not len(part):
        return pd.DataFrame(columns=[*columns, "n"]).astype({"n": "int64"})
    return part[columns].value_counts(dropna=False).rename("n").reset_index()


def _group_counts(frame, columns: list[str]):
    """Lazy pandas frame: each distinct combination of ``columns`` and its row count."""
    dask, _ = _need_dask()
    parts = frame[columns].to_delayed()
    counted = [dask.delayed(_date_counts)(p, columns) for p in parts]

    def combine(pieces):
        pieces = [p for p in pieces if len(p)]
        if not pieces:
            return pd.DataFrame(columns=[*columns, "n"]).astype({"n": "int64"})
        both = pd.concat(pieces, ignore_index=True)
        return both.groupby(columns, dropna=False, observed=True, sort=False)["n"].sum()

    return dask.delayed(combine)(counted)


def _expand(counts, columns: list[str], dtypes) -> pd.DataFrame:
    """A frame of ``columns`` with each combination repeated by its count."""
    if isinstance(counts, pd.DataFrame):  # nothing counted
        return pd.DataFrame({c: pd.Series([], dtype=dtypes[c]) for c in columns})
    keys = counts.index.to_frame(index=False)
    repeat = np.repeat(np.arange(len(keys)), counts.to_numpy())
    out = keys.iloc[repeat].reset_index(drop=True)
    return out.astype(
        {c: dtypes[c] for c in columns if not isinstance(dtypes[c], pd.CategoricalDtype)}
    )


def weekly_counts_lazy(events, **kwargs):
    """:func:`toolkit.weekly_counts` of a Dask frame, as a ``dask.delayed`` object.

    Each partition is reduced to the number of rows per distinct date (and ``event_type`` and
    ``by`` value); the pandas function then runs on those counts spread back into rows of
    these two or three columns only, so ``.compute()`` returns exactly the pandas result.

    Parameters
    ----------
    events : dask.dataframe.DataFrame or dask_geopandas.GeoDataFrame
        Events with a ``date`` column (and ``event_type``).
    **kwargs
        The keyword arguments of :func:`toolkit.weekly_counts` (``freq``, ``start``, ``end``,
        ``by``, ``event_type``, ``top``, ...).

    Returns
    -------
    dask.delayed.Delayed
        Its ``.compute()`` is the table :func:`toolkit.weekly_counts` returns.

    Raises
    ------
    FormatError
        ``events`` has no ``date`` column or no ``by`` column, or Dask is not installed.

    Examples
    --------
    >>> import dask_geopandas
    >>> import toolkit
    >>> events = toolkit.load_events()
    >>> lazy = dask_geopandas.from_geopandas(events, npartitions=2)
    >>> from toolkit.scale import weekly_counts_lazy
    >>> counts = weekly_counts_lazy(lazy, freq="M", start="2020-01-01", end="2020-03-31")
    >>> counts.compute()["attacks"].tolist()
    [11, 2, 4]
    >>> counts.compute().equals(
    ...     toolkit.weekly_counts(events, freq="M", start="2020-01-01", end="2020-03-31")
    ... )
    True
    """
    dask, _ = _need_dask()
    from . import phases

    columns = ["date"]
    if kwargs.get("event_type", "attack") is not None and "event_type" in events.columns:
        columns.append("event_type")
    by = kwargs.get("by")
    if by is not None and by not in columns:
        if by not in events.columns:
            raise FormatError(
                f"weekly_counts: by={by!r} is not a column (found: {list(events.columns)})"
            )
        columns.append(by)
    if "date" not in events.columns:
        raise FormatError(f"weekly_counts needs a 'date' column (found: {list(events.columns)})")
    dtypes = events._meta[columns].dtypes
    counts = _group_counts(events, columns)
    small = dask.delayed(_expand)(counts, columns, dtypes)
    return dask.delayed(phases.weekly_counts)(small, **kwargs)


def compare_sources_lazy(tables: dict, **kwargs):
    """:func:`toolkit.compare_sources` when some tables are Dask frames (``dask.delayed``).

    Each Dask table is reduced to its row count per date before the counts are combined, so
    only small pandas frames reach :func:`toolkit.compare_sources`.

    Parameters
    ----------
    tables : dict
        Label -> table with a ``date`` column, pandas or Dask.
    **kwargs
        The keyword arguments of :func:`toolkit.compare_sources` (``by``, ``start``, ``end``).

    Returns
    -------
    dask.delayed.Delayed
        Its ``.compute()`` is the table :func:`toolkit.compare_sources` returns.

    Raises
    ------
    FormatError
        A Dask table has no ``date`` column, or Dask is not installed.

    Examples
    --------
    >>> import dask_geopandas
    >>> import toolkit
    >>> events = toolkit.load_events()
    >>> lazy = dask_geopandas.from_geopandas(events, npartitions=2)
    >>> from toolkit.scale import compare_sources_lazy
    >>> table = compare_sources_lazy({"pandas": events, "dask": lazy}, by="year").compute()
    >>> table.loc[table.index[:2]].values.tolist()  # 2019 and 2020: the same rows counted
    [[16, 16, 0], [96, 96, 0]]
    """
    dask, _ = _need_dask()
    from .sources.tools import compare_sources

    reduced = {}
    for label, table in tables.items():
        if is_dask(table):
            if "date" not in table.columns:
                raise FormatError(
                    f"table {label!r} has no 'date' column (found: {list(table.columns)})"
                )
            dtypes = table._meta[["date"]].dtypes
            reduced[label] = dask.delayed(_expand)(_group_counts(table, ["date"]), ["date"], dtypes)
        else:
            reduced[label] = table[["date"]] if "date" in table.columns else table
    return dask.delayed(compare_sources)(reduced, **kwargs)


# --- GeoParquet --------------------------------------------------------------------------------


def to_parquet(frame, path: str | os.PathLike, *, partition_on=None, overwrite: bool = False):
    """Write a canonical frame (pandas or Dask) as partitioned GeoParquet under ``path``.

    One file per Dask partition (a pandas frame is written as one), geometry as WKB with its
    CRS in the GeoParquet metadata; ``partition_on`` (e.g. ``["country"]``) adds
    ``country=Iraq/`` folders. Returns ``path``. This is ``dask_geopandas``'s ``to_parquet``
    (``write_index=False``: the index of a Dask frame restarts in each partition).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        A canonical event frame (with ``geometry``).
    path : str or path-like
        Folder to write.
    partition_on : list of str, optional
        Columns whose values become ``column=value/`` sub-folders.
    overwrite : bool, default False
        Delete ``path`` first when it exists.

    Returns
    -------
    str or path-like
        ``path``, as given.

    Raises
    ------
    FormatError
        Dask or ``dask_geopandas`` is not installed (the ``scale`` extra).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import toolkit
    >>> from toolkit.scale import to_parquet
    >>> folder = tempfile.TemporaryDirectory()
    >>> out = to_parquet(
    ...     toolkit.load_events(), pathlib.Path(folder.name) / "events", partition_on=["country"]
    ... )
    >>> sorted(p.name for p in out.iterdir())
    ['country=Iraq', 'country=Jordan', 'country=Syria']
    >>> folder.cleanup()
    """
    _need_dask()
    import dask_geopandas

    if not is_dask(frame):
        frame = dask_geopandas.from_geopandas(frame, npartitions=1)
    if overwrite and Path(path).exists():
        import shutil

        shutil.rmtree(path)
    frame.to_parquet(os.fspath(path), partition_on=partition_on, write_index=False)
    return path


def read_parquet(path: str | os.PathLike, *, columns=None, filters=None):
    """Read GeoParquet written by :func:`to_parquet` as a lazy ``dask_geopandas`` frame.

    ``filters`` are pushed down to the Parquet reader (row groups and ``partition_on`` folders
    that cannot match are skipped), e.g. ``[("date", ">=", pd.Timestamp("2023-10-17")),
    ("country", "==", "Iraq")]``.

    Parameters
    ----------
    path : str or path-like
        Folder (or file) written by :func:`to_parquet`.
    columns : list of str, optional
        Columns to read (default: all; without ``geometry`` the result is a plain Dask
        DataFrame).
    filters : list of tuple, optional
        ``(column, operator, value)`` conditions, all of which must hold (pyarrow's filter
        syntax).

    Returns
    -------
    dask_geopandas.GeoDataFrame or dask.dataframe.DataFrame
        Lazy frame of the rows and columns asked for.

    Raises
    ------
    FormatError
        Dask or ``dask_geopandas`` is not installed (the ``scale`` extra).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd
    >>> import toolkit
    >>> from toolkit.scale import read_parquet, to_parquet
    >>> folder = tempfile.TemporaryDirectory()
    >>> events = toolkit.load_events()
    >>> out = to_parquet(events, pathlib.Path(folder.name) / "events", partition_on=["country"])
    >>> syria = read_parquet(out, filters=[("country", "==", "Syria")]).compute()
    >>> len(syria) == int((events["country"] == "Syria").sum())
    True
    >>> recent = read_parquet(
    ...     out,
    ...     columns=["event_id", "date"],
    ...     filters=[("date", ">=", pd.Timestamp("2023-10-17")), ("country", "==", "Iraq")],
    ... )
    >>> bool((recent["date"].compute() >= "2023-10-17").all())
    True
    >>> folder.cleanup()
    """
    _need_dask()
    import dask_geopandas

    return dask_geopandas.read_parquet(os.fspath(path), columns=columns, filters=filters)
