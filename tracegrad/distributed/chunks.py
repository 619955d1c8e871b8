"""The data arguments of a distributed gradient: Dask arrays chunked along axis 0 only,
with the same row chunks, checked before anything runs."""
from __future__ import annotations

import numpy as np

from ..errors import ArgumentError


def dask_array_type():
    try:
        import dask.array as da
    except ImportError as error:            # the optional dependency
        raise ImportError("tracegrad.distributed needs Dask: pip install "
                          "'tracegrad[distributed]' (or 'dask[distributed]')") from error
    return da.Array


def row_chunks(data: tuple, first_position: int = 1) -> tuple:
    """The row counts of the chunks every data argument shares; ArgumentError (with the
    fix) for anything else."""
    array_type = dask_array_type()
    if not data:
        raise ArgumentError("no data arguments: pass the data as Dask arrays after params")
    chunks = None
    for position, x in enumerate(data, start=first_position):
        if not isinstance(x, array_type):
            raise ArgumentError(
                f"argument {position} (data) is a {type(x).__name__}, not a Dask array: "
                f"wrap it with dask.array.from_array(x, chunks=(rows_per_chunk, ...))")
        if x.ndim == 0:
            raise ArgumentError(f"data argument {position} is a scalar: data are chunked "
                                f"along their first axis")
        extra = [axis for axis in range(1, x.ndim) if len(x.chunks[axis]) > 1]
        if extra:
            raise ArgumentError(
                f"data argument {position} is chunked along axis {extra[0]}; only rows "
                f"(axis 0) may be split: x.rechunk({{{extra[0]}: -1}})")
        if any(np.isnan(c) for c in x.chunks[0]):
            raise ArgumentError(f"data argument {position} has unknown chunk sizes: call "
                                f"x.compute_chunk_sizes() first")
        if chunks is None:
            chunks = tuple(int(c) for c in x.chunks[0])
        elif tuple(int(c) for c in x.chunks[0]) != chunks:
            raise ArgumentError(
                f"data argument {position} is chunked into rows {x.chunks[0]} but data "
                f"argument {first_position} into {chunks}: the chunks must line up row for row; rechunk "
                f"one like the other (x.rechunk({{0: other.chunks[0]}}))")
    return chunks
