"""Shared fixtures: the default screener (shipped release, default on-disk index cache) and its
token weights, built once per test process."""

from __future__ import annotations

import pytest

from screen.index.weights import TokenWeights
from screen.screener import Screener


@pytest.fixture(scope="session")
def default_screener() -> Screener:
    """``Screener.default()``: the shipped release at the default threshold."""
    return Screener.default()


@pytest.fixture(scope="session")
def default_weights(default_screener: Screener) -> TokenWeights:
    """Token weights of the shipped release, so ``score_pair`` scores as a screening would."""
    return default_screener.index.weights
