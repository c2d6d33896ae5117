"""The shipped examples cannot rot: the demo's output equals examples/expected, onboarding runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from batch_helpers import REPO, run_screen, write_subset_release

EXAMPLES = REPO / "examples"
EXPECTED = EXAMPLES / "expected" / "customers.screened.csv"
REGENERATE = (
    "screen batch examples/customers.csv -o examples/expected/customers.screened.csv "
    "(then review the differences: they are changes in screening results)"
)


def test_demo_output_equals_expected(tmp_path: Path) -> None:
    """The README's demo on the shipped release; regenerate EXPECTED when the matcher changes."""
    out = tmp_path / "customers.screened.csv"
    done = run_screen("batch", "examples/customers.csv", "-o", out)
    assert done.returncode == 1, done.stderr  # the file holds listed parties on purpose
    assert out.read_bytes() == EXPECTED.read_bytes(), (
        f"demo output changed; regenerate: {REGENERATE}"
    )
    side = json.loads((tmp_path / "customers.screened.csv.audit.json").read_text(encoding="utf-8"))
    assert side["summary"]["errors"] == 0
    assert side["input"]["name_column"] == "name" and side["input"]["name_column_detected"]


def test_onboarding_example(tmp_path: Path) -> None:
    release = write_subset_release(tmp_path / "release")
    log = tmp_path / "log.jsonl"
    env = {**os.environ, "SCREEN_LISTS_DIR": str(release), "PYTHONIOENCODING": "utf-8"}
    script = str(EXAMPLES / "onboarding.py")

    def onboard(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, script, *args, "--log", str(log)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=300,
            check=False,
        )

    blocked = onboard("Beijing Zhipu Huazhang Tech Co Ltd", "--country", "CN")
    assert blocked.returncode == 1, blocked.stderr
    assert blocked.stdout.startswith("BLOCKED") and "EL-2025-beijing-zhipu" in blocked.stdout
    cleared = onboard("Acme Bakery Ltd")
    assert cleared.returncode == 0, cleared.stderr
    assert cleared.stdout.startswith("cleared")
    logged = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [entry["decision"] for entry in logged] == ["blocked: review needed", "onboard"]
    assert all(entry["result"]["audit"]["release_version"] == "subset-1" for entry in logged)
