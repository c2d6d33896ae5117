"""Helpers for the list-update tests: a local HTTP server (127.0.0.1 only) that serves the
official-format fixture files and can misbehave on demand, and a byte-for-byte snapshot of a
release store.

The server plays each publisher: ``/csl/consolidated.csv``, ``/ofac/<FILE>`` (both OFAC
sources share OFAC's base URL) and ``/un/consolidated.xml``. Like OFAC's firewall, it refuses
``/ofac/`` requests that carry urllib's default User-Agent.
"""

from __future__ import annotations

import hashlib
import http.server
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from batch_helpers import write_subset_release

from screen.release.home import CURRENT_FILE, RELEASES_DIR
from screen.release.update.fetch import FetchPolicy
from screen.release.update.run import UpdateOptions

FIXTURES = Path(__file__).parent / "fixtures" / "update"
SDN_FILES = ("SDN.CSV", "ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV")
CONS_FILES = ("CONS_PRIM.CSV", "CONS_ADD.CSV", "CONS_ALT.CSV", "CONS_COMMENTS.CSV")
FAST = FetchPolicy(timeout=0.5, attempts=2, backoff=0.01)
"""Tiny timeouts and backoff, so that faults cost the suite little time."""


@dataclass
class Route:
    """What the server answers for one path."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering at all."""
    cut_at: int | None = None
    """Announce the whole body's length, then close the connection after this many bytes."""
    location: str | None = None
    """Answer with a 302 redirect to this path instead."""
    refuse_default_agent: bool = False
    failures: int = 0
    """Answer the first this many requests with HTTP 500 (then behave)."""


class _Handler(http.server.BaseHTTPRequestHandler):
    server: FixtureServer

    def log_message(self, format: str, *args: object) -> None:  # the tests read .requests
        pass

    def do_GET(self) -> None:
        fixture = self.server
        agent = self.headers.get("User-Agent", "")
        fixture.requests.append((self.path, agent))
        route = fixture.routes.get(self.path)
        try:
            if route is None:
                self._send(404, b"not found", {"Content-Type": "text/plain"})
            elif route.refuse_default_agent and agent.startswith("Python-urllib"):
                page = b"<html><title>Forbidden</title></html>"
                self._send(403, page, {"Content-Type": "text/html"})
            elif route.failures > 0:
                route.failures -= 1
                self._send(500, b"", {})
            else:
                if route.delay:
                    time.sleep(route.delay)
                if route.location is not None:
                    self._send(302, b"", {"Location": route.location})
                else:
                    self._send(route.status, route.body, route.headers, route.cut_at)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to do

    def _send(
        self, status: int, body: bytes, headers: dict[str, str], cut_at: int | None = None
    ) -> None:
        self.send_response(status)
        sent = {"Content-Length": str(len(body)), **headers}
        for name, value in sent.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body if cut_at is None else body[:cut_at])
        self.wfile.flush()


class FixtureServer(http.server.ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 with a table of routes the tests change at will."""

    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str]] = []

    def url(self, path: str) -> str:
        """The URL of ``path`` on this server."""
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def serve_release(
        self, csl: str = "v1", sdn: str = "v1", csl_body: bytes | None = None
    ) -> None:
        """Serve one set of fixture files (``csl/<csl>.csv``, ``ofac-sdn/<sdn>/``, the rest)."""
        body = csl_body if csl_body is not None else (FIXTURES / "csl" / f"{csl}.csv").read_bytes()
        self.routes["/csl/consolidated.csv"] = Route(body, headers={"Content-Type": "text/csv"})
        for name in SDN_FILES:
            data = (FIXTURES / "ofac-sdn" / sdn / name).read_bytes()
            self.routes[f"/ofac/{name}"] = Route(data, refuse_default_agent=True)
        for name in CONS_FILES:
            data = (FIXTURES / "ofac-cons" / name).read_bytes()
            self.routes[f"/ofac/{name}"] = Route(data, refuse_default_agent=True)
        xml = (FIXTURES / "un" / "consolidated.xml").read_bytes()
        self.routes["/un/consolidated.xml"] = Route(xml, headers={"Content-Type": "text/xml"})

    @property
    def urls(self) -> dict[str, str]:
        """``--source`` URLs of every source on this server."""
        return {
            "csl": self.url("/csl/consolidated.csv"),
            "ofac-sdn": self.url("/ofac/"),
            "ofac-cons": self.url("/ofac/"),
            "un": self.url("/un/consolidated.xml"),
        }


@contextmanager
def fixture_server() -> Iterator[FixtureServer]:
    """A running :class:`FixtureServer`, serving the v1 fixture set, stopped afterwards."""
    server = FixtureServer()
    server.serve_release()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def refused_url(path: str = "/csl/consolidated.csv") -> str:
    """A 127.0.0.1 URL where nothing listens (the port was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


def options(
    home: Path, server: FixtureServer, **changes: object
) -> UpdateOptions:
    """Update options fetching everything from ``server`` into ``home``, with tiny timeouts."""
    settings: dict[str, object] = {"urls": server.urls, "home": home, "policy": FAST}
    settings.update(changes)
    return UpdateOptions(**settings)  # type: ignore[arg-type]


def snapshot(home: Path) -> dict[str, str]:
    """Every folder and file under ``home`` with the sha256 of each file's bytes."""
    state = {}
    for path in sorted(home.rglob("*")):
        relative = path.relative_to(home).as_posix()
        state[relative] = (
            "folder" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
        )
    return state


def seed(home: Path) -> Path:
    """Put a five-entry release of real shipped entries in service in ``home`` (version
    ``seed``), so that an update compares against it rather than loading the whole shipped
    release; the fixture files only add to its lists, so no gate stops them."""
    folder = write_subset_release(home / RELEASES_DIR / "seed", version="seed")
    (home / CURRENT_FILE).write_text("seed\n", encoding="utf-8")
    return folder
