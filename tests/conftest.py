"""Shared fixtures: the default screener (shipped release, default on-disk index cache) and its
token weights, built once per test process."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from screen.index.weights import TokenWeights
from screen.screener import Screener

_HOME_ENV = "SCREEN_HOME"


def pytest_configure(config: pytest.Config) -> None:
    """Point ``$SCREEN_HOME`` at an empty folder of this test process: a release store on the
    developer's machine must never change what the suite screens against (each xdist worker and
    every subprocess a test starts inherits it)."""
    os.environ[_HOME_ENV] = tempfile.mkdtemp(prefix="screen-test-home-")


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the folder made by :func:`pytest_configure`."""
    home = os.environ.pop(_HOME_ENV, None)
    if home and os.path.basename(home).startswith("screen-test-home-"):
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def default_screener() -> Screener:
    """``Screener.default()``: the shipped release at the default threshold."""
    return Screener.default()


@pytest.fixture(scope="session")
def default_weights(default_screener: Screener) -> TokenWeights:
    """Token weights of the shipped release, so ``score_pair`` scores as a screening would."""
    return default_screener.index.weights
