"""Screen DataFrames: a pandas frame in a notebook, a Dask frame on a cluster, Spark batches.

::

    from screen.frames import screen_frame, screen_dask
    screened = screen_frame(df, name_column="name", country_column="country")
    screened.attrs["screen_audit"]          # release, checksum, matcher, threshold, options

pandas (and pyarrow) come with ``pip install 'screen[frames]'``, Dask with ``'screen[dask]'``.
Nothing here is imported until it is used, and the rest of ``screen`` never imports it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "AUDIT_ATTR",
    "FrameError",
    "WorkerReleaseError",
    "audit_of",
    "screen_dask",
    "screen_frame",
    "worker_screener",
]

if TYPE_CHECKING:
    from screen.frames.cluster import screen_dask
    from screen.frames.frame import AUDIT_ATTR, FrameError, audit_of, screen_frame
    from screen.frames.worker import WorkerReleaseError, worker_screener

_HOMES = {
    "AUDIT_ATTR": "screen.frames.frame",
    "FrameError": "screen.frames.frame",
    "audit_of": "screen.frames.frame",
    "screen_frame": "screen.frames.frame",
    "WorkerReleaseError": "screen.frames.worker",
    "worker_screener": "screen.frames.worker",
    "screen_dask": "screen.frames.cluster",
}
_EXTRAS = {"pandas": "frames", "pyarrow": "frames", "dask": "dask", "distributed": "dask"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'screen.frames' has no attribute {name!r}")
    try:
        module = importlib.import_module(home)
    except ModuleNotFoundError as exc:
        top = (exc.name or "").partition(".")[0]
        if top not in _EXTRAS:
            raise
        raise ModuleNotFoundError(
            f"screen.frames.{name} needs {top}, an optional extra: "
            f"pip install 'screen[{_EXTRAS[top]}]'",
            name=exc.name,
        ) from None
    return getattr(module, name)
