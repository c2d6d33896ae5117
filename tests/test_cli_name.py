"""``screen name``: one explained result for people, JSON for machines, exit codes."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from batch_helpers import run_screen, write_subset_release

from screen.cli.screen_options import load_screener


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_subset_release(tmp_path_factory.mktemp("release"))


def test_hit_is_explained_and_exits_1(release: Path) -> None:
    done = run_screen("name", "Beijing Zhipu Huazhang Tech Co Ltd", "--release", release)
    assert done.returncode == 1, done.stderr
    out = done.stdout
    assert out.startswith("Beijing Zhipu Huazhang Tech Co Ltd: HIT")
    assert "EL-2025-beijing-zhipu-huazhang-technology-co-ltd" in out
    assert "Entity List (EL)" in out
    assert "90 FR 4617" in out  # the Federal Register citation of the listing
    assert "secondary-source" in out  # the entry was not built from the publisher's own file
    assert "why " in out and "tech~technology" in out
    assert "release subset-1" in out


def test_clear_exits_0(release: Path) -> None:
    done = run_screen("name", "Acme Bakery Ltd", "--release", release)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Acme Bakery Ltd: CLEAR")


def test_json_is_the_result_dict(release: Path) -> None:
    done = run_screen("name", "Mahan Air", "--json", "--release", release)
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert data["status"] == "hit" and data["hits"][0]["entry_id"] == "SDN-12927"
    assert data["audit"]["release_version"] == "subset-1"
    assert data["hits"][0]["explanation"]["alignment"]


def test_list_and_country_filters(release: Path) -> None:
    assert run_screen("name", "Mahan Air", "--list", "EL", "--release", release).returncode == 0
    assert run_screen("name", "Mahan Air", "--list", "el,sdn", "--release", release).returncode == 1
    assert run_screen("name", "Mahan Air", "--country", "DE", "--release", release).returncode == 0
    assert run_screen("name", "Mahan Air", "--country", "IR", "--release", release).returncode == 1


def test_threshold(release: Path) -> None:
    assert (
        run_screen("name", "Mahan Airlines", "--threshold", "99", "--release", release).returncode
        == 0
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["   "], "name is empty"),
        (["Acme", "--list", "NOPE"], "unknown list 'NOPE'"),
        (["Acme", "--top", "0"], "--top must be at least 1"),
    ],
)
def test_errors_are_one_line_and_exit_2(release: Path, args: list[str], needle: str) -> None:
    done = run_screen("name", *args, "--release", release)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0 and needle in done.stderr


def test_bad_country_is_a_usage_error(release: Path) -> None:
    done = run_screen("name", "Acme", "--country", "Germany", "--release", release)
    assert done.returncode == 2 and "alpha-2" in done.stderr


def test_commands_freeze_their_screener_out_of_the_garbage_collector(release: Path) -> None:
    """The command line's screener is frozen once loaded: the collections the interpreter runs
    at exit would otherwise walk its million objects (about 2 s of every command)."""
    gc.unfreeze()
    try:
        screener = load_screener(release)
        assert gc.get_freeze_count() > 0
        assert not any(item is screener for item in gc.get_objects())
    finally:
        gc.unfreeze()
