"""Helpers for the batch and CLI tests: a small real release cut from the shipped one, and a runner.

The subset keeps the shipped entries, sources and chip files unchanged (nothing is invented); a
screener on it builds in well under a second, so CLI tests can run ``screen`` as a subprocess
with ``--release`` and still exercise the real matcher.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from screen.release.models import ListEntry
from screen.release.store import default_release, read_release_file, write_release

REPO = Path(__file__).resolve().parents[1]

SUBSET_IDS = frozenset(
    {
        "SDN-12927",  # MAHAN AIR
        "SDN-17013",  # VTB BANK PUBLIC JOINT STOCK COMPANY
        "SDN-21171",  # PRIGOZHIN, Yevgeniy Viktorovich
        "UN-IQi.006",  # IZZAT IBRAHIM AL-DURI
        "EL-2025-beijing-zhipu-huazhang-technology-co-ltd",
    }
)
CHIP_FILES = ("chips/chips.json", "chips/rules.json")


def write_subset_release(
    directory: Path, version: str = "subset-1", drop: str | None = None
) -> Path:
    """Write a release of the :data:`SUBSET_IDS` entries (less ``drop``) of the shipped release."""
    shipped = default_release()
    ids = SUBSET_IDS - {drop}
    entries = [entry for entry in shipped.entries if entry.id in ids]
    assert len(entries) == len(ids), "the shipped release no longer has every subset entry"
    return write_release_of(directory, version, entries)


def write_release_of(directory: Path, version: str, entries: list[ListEntry]) -> Path:
    """Write a release of ``entries`` with the shipped release's date, sources and chip files."""
    shipped = default_release()
    write_release(
        directory,
        version=version,
        created=shipped.created,
        sources=shipped.sources,
        entries=entries,
        extra_files={name: read_release_file(name) for name in CHIP_FILES},
    )
    return directory


def run_screen(
    *args: str | Path, cwd: Path | None = None, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the ``screen`` command line as a user would, capturing its output (``env_extra``:
    variables added to the environment)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env_extra or {})}
    env.pop("SCREEN_LISTS_DIR", None)
    script = Path(sys.executable).parent / "screen"
    command = [str(script)]
    if not script.exists():
        command = [
            sys.executable,
            "-c",
            "import sys; from screen.cli import main; sys.exit(main())",
        ]
    return subprocess.run(
        [*command, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or REPO,
        env=env,
        timeout=600,
        check=False,
    )
