"""Load a release's chip files, ``chips/rules.json`` and ``chips/chips.json``."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from screen.chips.models import ChipTable, RuleBook
from screen.release.store import ListError, read_release_file

__all__ = [
    "CHIPS_FILE",
    "RULES_FILE",
    "ChipData",
    "ChipDataError",
    "default_chip_data",
    "load_chip_data",
]

RULES_FILE = "chips/rules.json"
CHIPS_FILE = "chips/chips.json"

_Model = TypeVar("_Model", bound=BaseModel)


class ChipDataError(Exception):
    """The chip release files are missing or invalid; the message names the file."""


class ChipData(BaseModel):
    """The rule book and the known chips of one release."""

    model_config = ConfigDict(frozen=True)

    rules: RuleBook
    chips: ChipTable


def load_chip_data(release_dir: Path | None = None) -> ChipData:
    """Read, verify and validate the chip files of a release (default: the shipped release).

    Each file's sha256 is checked against the release manifest, so chip data that does not belong
    to the release is refused with :class:`ChipDataError`.
    """
    return ChipData(
        rules=_load(RULES_FILE, RuleBook, release_dir),
        chips=_load(CHIPS_FILE, ChipTable, release_dir),
    )


@functools.cache
def default_chip_data() -> ChipData:
    """The chip data of the default release, read once per process."""
    return load_chip_data()


def _load(relative_path: str, model: type[_Model], release_dir: Path | None) -> _Model:
    data = _read_release_file(relative_path, release_dir)
    where = relative_path if release_dir is None else str(release_dir / relative_path)
    try:
        return model.model_validate(json.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ChipDataError(f"{where}: not valid UTF-8 JSON: {exc}") from exc
    except ValidationError as exc:
        error = exc.errors()[0]
        location = ".".join(str(part) for part in error["loc"])
        raise ChipDataError(f"{where}: {location}: {error['msg']}") from exc


def _read_release_file(relative_path: str, release_dir: Path | None) -> bytes:
    """The bytes of one release file, verified against the release manifest's sha256."""
    try:
        return read_release_file(relative_path, release_dir)
    except ListError as exc:
        raise ChipDataError(str(exc)) from exc
