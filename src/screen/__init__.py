"""screen: screen counterparties and items against US export-control and sanctions lists."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
