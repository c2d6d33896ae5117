"""Time ``screen lists update`` end to end on full-size official files served over HTTP.

Run: ``.venv/bin/python benchmarks/lists_update.py [--data ../shared/data] [--repeat 3]``

The files of ``shared/data`` are served from a local HTTP server (127.0.0.1), under the names
the publishers use, and each run is a complete ``screen lists update`` command (a new process,
as a user runs it) into a fresh ``$SCREEN_HOME`` whose release in service is the shipped one:
download, conversion, gates, writing and reading back the release, the diff against the shipped
release, the proof and the switch.

* ``csl``: ``csl/consolidated-2022-04.csv``, the only full CSL available here (14,160 rows). It is
  old (April 2022); today's file has the same columns and is larger.
* ``ofac-sdn``: the complete OFAC set of 2021-07-07 (``sdn``, ``add``, ``alt``, ``sdn_comments``;
  8,976 SDN entries): a consistent publication, unlike the 2024/2025 files, which are not of one
  date (``SOURCES.md``), so ``screen lists update`` refuses them by design.
* ``ofac-cons``: left out (``--without ofac-cons``): no real consolidated files are available.
* ``un``: ``un/UN_consolidated-2026-02-27.xml`` (1,003 records).

Without ``ofac-cons`` the Treasury non-SDN lists come from the CSL. The SDN list of 2021 is
shorter than the shipped one (built from 2024/2025 files), so the runs pass ``--accept-shrink``
(recorded in the release). Target: under 30 s on 2 cores.
"""

from __future__ import annotations

import argparse
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

_NAMES = {
    "consolidated.csv": "csl/consolidated-2022-04.csv",
    "SDN.CSV": "ofac/2021-07-07/sdn.csv",
    "ADD.CSV": "ofac/2021-07-07/add.csv",
    "ALT.CSV": "ofac/2021-07-07/alt.csv",
    "SDN_COMMENTS.CSV": "ofac/2021-07-07/sdn_comments.csv",
    "consolidated.xml": "un/UN_consolidated-2026-02-27.xml",
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main() -> None:
    """Print the time of each update and the median."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default, help="shared/data folder")
    parser.add_argument("--repeat", type=int, default=3, help="number of timed updates")
    args = parser.parse_args()
    script = Path(sys.executable).parent / "screen"
    with tempfile.TemporaryDirectory(prefix="screen-bench-update-") as temp:
        served = Path(temp) / "served"
        served.mkdir()
        for name, relative in _NAMES.items():
            shutil.copyfile(args.data / relative, served / name)
        size = sum(path.stat().st_size for path in served.iterdir())
        server, base = _serve(served)
        command = [
            str(script), "lists", "update",
            "--source", f"csl={base}consolidated.csv",
            "--source", f"ofac-sdn={base}",
            "--source", f"un={base}consolidated.xml",
            "--without", "ofac-cons",
            "--accept-shrink",
        ]
        times = []
        try:
            for run in range(1, args.repeat + 1):
                home = Path(temp) / f"home-{run}"
                env = {**os.environ, "SCREEN_HOME": str(home)}
                env.pop("SCREEN_LISTS_DIR", None)
                start = time.perf_counter()
                done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
                elapsed = time.perf_counter() - start
                if done.returncode != 0:
                    sys.exit(f"update failed:\n{done.stderr}")
                times.append(elapsed)
                print(f"run {run}: {elapsed:.2f} s  {done.stdout.splitlines()[1]}")
        finally:
            server.shutdown()
    print(
        f"screen lists update, {size / 1e6:.1f} MB served over HTTP from 127.0.0.1: "
        f"median {statistics.median(times):.2f} s, min {min(times):.2f} s over {args.repeat} runs "
        f"({os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
