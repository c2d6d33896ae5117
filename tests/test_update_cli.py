"""The ``screen lists`` commands of the release store, run as a user runs them (subprocesses),
against fixture files served from 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

import pytest
from batch_helpers import REPO, run_screen
from update_helpers import FixtureServer, Route, fixture_server, options, seed, snapshot

from screen.cli import main
from screen.release.switch import use_release
from screen.release.update.run import update_lists


def _screen(
    home: Path, *args: str | Path, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return run_screen(*args, cwd=cwd, env_extra={"SCREEN_HOME": str(home)})


def _sources(server: FixtureServer) -> list[str]:
    return [arg for name, url in server.urls.items() for arg in ("--source", f"{name}={url}")]


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with fixture_server() as running:
        yield running


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``$SCREEN_HOME`` of this test, with a small release in service."""
    folder = tmp_path / "home"
    seed(folder)
    monkeypatch.setenv("SCREEN_HOME", str(folder))
    monkeypatch.delenv("SCREEN_LISTS_DIR", raising=False)
    return folder


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run the command line in this process: (exit code, stdout, stderr)."""
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_update_and_a_refused_one(
    server: FixtureServer, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "lists", "update", *_sources(server))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("adopted list release ") and "replacing seed" in lines[0]
    assert lines[1].startswith("added ")
    assert lines[2].startswith(f"proof: {home}/releases/") and lines[2].endswith(
        "/update/summary.txt and diff.json"
    )
    server.routes["/ofac/SDN.CSV"] = Route(status=503)
    server.routes["/un/consolidated.xml"] = Route(b"")
    before = snapshot(home)
    try:
        code, out, err = _run(capsys, "lists", "update", *_sources(server), "--retries", "0")
    finally:
        server.serve_release()
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"screen lists update: error: ofac-sdn: {server.url('/ofac/SDN.CSV')}: "
        "HTTP 503 Service Unavailable",
        f"screen lists update: error: un: {server.url('/un/consolidated.xml')}: "
        "empty body (0 bytes): not a list",
        "screen lists update: nothing adopted (2 problems); the release in service is unchanged",
    ]
    assert snapshot(home) == before
    code, out, err = _run(capsys, "lists", "update", *_sources(server))
    assert code == 0 and out.startswith("lists unchanged: release ")


def test_a_failed_update_exits_2_as_a_command(server: FixtureServer, home: Path) -> None:
    server.routes["/csl/consolidated.csv"] = Route(b"")
    try:
        done = _screen(home, "lists", "update", *_sources(server), "--retries", "0")
    finally:
        server.serve_release()
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (
        f"screen lists update: error: csl: {server.url('/csl/consolidated.csv')}: "
        "empty body (0 bytes): not a list"
    )


def test_usage_errors(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["lists", "update", "--source", "ofac=http://127.0.0.1/"])
    assert caught.value.code == 2
    assert "unknown source 'ofac' (known: csl, ofac-sdn, ofac-cons, un)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["lists", "update", "--without", "sdn"])
    assert "invalid choice: 'sdn'" in capsys.readouterr().err


def test_history_info_and_roll_back(
    server: FixtureServer, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = update_lists(options(home, server, without=frozenset({"un"}), accept_shrink=True))
    version = outcome.version
    code, out, _ = _run(capsys, "lists", "history")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"release store: {home}"
    assert lines[2].startswith(f"* {version} ") and lines[2].endswith("1 shrink accepted")
    assert lines[3].startswith("  seed ")
    assert lines[4].startswith("  2026.02.27 ") and lines[4].endswith("shipped with the package")
    assert f"update -> {version} (was seed)" in out
    code, out, err = _run(capsys, "lists", "info", "--max-age", "100000")
    assert code == 0 and err == ""
    assert f"release    {version}\n" in out
    assert "in service the current release of the store\n" in out
    assert "accepted   --accept-shrink: list UN would go from 1 entry to none" in out
    code, out, err = _run(capsys, "lists", "info", "--release", "seed")
    assert "warning: source un/UN_consolidated-2026-02-27.xml is " in err  # data of 2026-02-27
    assert "entity-list/" not in err  # curated notes are not fetched: no age warning
    code, out, _ = _run(capsys, "lists", "use", "seed")
    assert code == 0
    assert out.startswith("release seed (checksum ") and out.endswith(f"(was {version})\n")
    code, out, _ = _run(capsys, "lists", "use", "shipped")
    assert out.startswith("release 2026.02.27 (checksum 9eae95a3b638) is in service (was seed)")
    assert "in service the release shipped in the package" in _run(capsys, "lists", "info")[1]
    code, _, err = _run(capsys, "lists", "use", "1999.01.01")
    assert code == 2 and "known versions: seed, " in err


def test_check_a_release_against_assertions(
    server: FixtureServer, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    update_lists(options(home, server))
    expect = tmp_path / "expect.toml"
    expect.write_text(
        '[[present]]\nname = "Banco Nacional de Cuba"\n\n[[absent]]\nid = "SDN-10021"\n\n'
        '[[present]]\nid = "EL-2025-sophgo"\n\n[[count]]\nlist = "SDN"\nmin = 100\n',
        encoding="utf-8",
    )
    code, out, _ = _run(capsys, "lists", "check", "current", "--expect", expect)
    assert code == 1
    assert out.splitlines()[0] == "failed: count[1]: list SDN has 12 entries, expected at least 100"
    assert "3 of 4 assertions hold on release " in out
    expect.write_text('[[present]]\nname = "Mahan Air"\n', encoding="utf-8")
    code, out, _ = _run(capsys, "lists", "check", "seed", "--expect", expect)
    assert code == 0, out
    code, _, err = _run(capsys, "lists", "check", "current", "--expect", tmp_path / "nope.toml")
    assert code == 2 and "cannot read" in err


def test_verify_finds_the_recorded_release_in_the_store(
    server: FixtureServer, home: Path, tmp_path: Path
) -> None:
    version = update_lists(options(home, server)).version
    source = tmp_path / "in.csv"
    source.write_text("name\nBanco Nacional de Cuba\nAcme Bakery Ltd\n", encoding="utf-8")
    result = tmp_path / "out.jsonl"
    done = _screen(home, "batch", source, "-o", result, "--release", version)
    assert done.returncode == 1, done.stderr  # a hit
    use_release("seed", home)  # another release in service: verify must find the recorded one
    verified = _screen(home, "verify", result)
    assert verified.returncode == 0, verified.stderr
    assert f"verified 2 rows on release {version}" in verified.stdout


_AUDIT = """\
import json, os, sys
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        opened.append(os.path.abspath(os.fsdecode(args[0])))
sys.addaudithook(hook)
from screen.cli import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    json.dump(opened, out)
sys.exit(code)
"""


def _package_data() -> list[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["setuptools"]["package-data"]["screen"])


def test_an_update_reads_nothing_of_a_source_checkout(
    server: FixtureServer, tmp_path: Path
) -> None:
    """What a wheel has: the package's code and package data. Every file the update opens is in
    ``$SCREEN_HOME``, a temporary folder, the Python installation, or the package's code and
    declared package data; nothing else of the checkout (tests, ../shared, README ...)."""
    record = tmp_path / "opened.json"
    script = tmp_path / "audit.py"
    script.write_text(_AUDIT, encoding="utf-8")
    seed(tmp_path / "home")
    env = {**os.environ, "SCREEN_HOME": str(tmp_path / "home"), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, str(script), str(record), "lists", "update", *_sources(server)],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr
    opened = {Path(path) for path in json.loads(record.read_text())}
    package = REPO / "src" / "screen"
    patterns = _package_data()
    installed = (REPO / ".venv", REPO / "src" / "screen.egg-info")  # what pip installed
    in_checkout = {
        path for path in opened
        if path.is_relative_to(REPO) and not any(path.is_relative_to(i) for i in installed)
    }
    assert package / "release" / "shipped" / "release.json" in in_checkout  # the hook works
    outside = {
        path for path in in_checkout
        if not path.is_relative_to(package)
        or not (
            path.suffix in {".py", ".pyc", ".so", ".pyd"}
            or any(fnmatch(path.relative_to(package).as_posix(), p) for p in patterns)
        )
    }
    assert outside == set()
