"""Running a vectorised function over slices of a long array in threads."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["in_parallel"]


def in_parallel(function, array) -> np.ndarray:
    """``function`` applied to slices of ``array`` in threads, results joined in order.

    ``array`` is a pyarrow or numpy array; pyarrow compute and shapely release the GIL.
    """
    workers = min(os.cpu_count() or 1, 8)
    if workers == 1 or len(array) < 100_000:
        return function(array)
    step = -(-len(array) // workers)
    with ThreadPoolExecutor(workers) as pool:
        parts = pool.map(function, [array[i : i + step] for i in range(0, len(array), step)])
        return np.concatenate(list(parts))
