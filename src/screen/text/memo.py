"""Bounded memo dictionaries for per-character and per-word answers.

Plain dictionaries rather than ``functools.lru_cache``: read from compiled code, the cache's
wrapper costs ten times a dictionary read.
"""

from __future__ import annotations

from typing import Final, TypeVar

_MEMO_LIMIT: Final = 65536
"""Entries a memo dictionary of this module holds before it starts again empty. Plain
dictionaries rather than ``lru_cache`` for what is asked for every character or word: called
from compiled code, the cache's wrapper costs ten times a dictionary read."""
_Remembered = TypeVar("_Remembered")


def _remember(memo: dict[str, _Remembered], key: str, value: _Remembered) -> _Remembered:
    """Put ``value`` in ``memo`` under ``key`` (emptying it first when it holds
    ``_MEMO_LIMIT`` entries) and return it."""
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value
