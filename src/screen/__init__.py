"""screen: screen counterparties and items against US export-control and sanctions lists.

The public entry point is :class:`Screener`::

    from screen import Screener
    result = Screener.default().screen("Beijing Zhipu Huazhang Technology")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from screen.implementation import _choose

__version__ = "0.1.0"
# $SCREEN_IMPLEMENTATION is honoured before any module of the matching core is imported
_choose()
__all__ = ["Screener", "__version__", "score_pair"]

if TYPE_CHECKING:
    from screen.screener import Screener, score_pair


def __getattr__(name: str) -> Any:
    # Imported lazily so that `import screen.release.models` does not pull in the matcher.
    if name in ("Screener", "score_pair"):
        from screen import screener

        return getattr(screener, name)
    raise AttributeError(f"module 'screen' has no attribute {name!r}")
