"""``screen lists update`` fails closed: every way a download or a source can go wrong gives its
own one-line message (source, URL, what was wrong), and the store, the release in service
included, stays byte for byte as it was.

Every test starts from a store whose current release was built from the v1 fixture files
(``tests/fixtures/update``), served from a local HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest
from update_helpers import (
    FIXTURES,
    FixtureServer,
    Route,
    fixture_server,
    options,
    refused_url,
    seed,
    snapshot,
)

from screen.release.update.fetch import FetchPolicy, _NoDowngrade
from screen.release.update.run import UpdateFailed, update_lists


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with fixture_server() as running:
        yield running


@pytest.fixture(scope="module")
def seeded(server: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose current release is the v1 fixture release (read-only: copy it first)."""
    home = tmp_path_factory.mktemp("seeded") / "home"
    seed(home)
    outcome = update_lists(options(home, server))
    assert outcome.status == "adopted"
    return home


@pytest.fixture
def home(seeded: Path, server: FixtureServer, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the seeded store; the server serves the v1 files again afterwards."""
    target = tmp_path / "home"
    shutil.copytree(seeded, target)
    yield target
    server.serve_release()


def _fails(home: Path, server: FixtureServer, **changes: object) -> list[str]:
    """The problems of an update that must not be adopted; checks the store is unchanged."""
    before = snapshot(home)
    with pytest.raises(UpdateFailed) as caught:
        update_lists(options(home, server, **changes))
    assert snapshot(home) == before
    assert not list((home / "staging").iterdir())
    return caught.value.problems


def test_connection_refused(home: Path, server: FixtureServer) -> None:
    url = refused_url()
    problems = _fails(home, server, urls={**server.urls, "csl": url})
    assert problems == [f"csl: {url}: connection refused (nothing is listening there) (2 attempts)"]


def test_timeout(home: Path, server: FixtureServer) -> None:
    server.routes["/un/consolidated.xml"].delay = 1.0
    policy = FetchPolicy(timeout=0.2, attempts=1)
    problems = _fails(home, server, policy=policy)
    url = server.url("/un/consolidated.xml")
    assert problems == [f"un: {url}: no response within 0.2 s (timeout)"]


def test_server_error_is_retried_a_bounded_number_of_times(
    home: Path, server: FixtureServer
) -> None:
    server.routes["/ofac/SDN.CSV"] = Route(status=500)
    server.requests.clear()
    problems = _fails(home, server)
    url = server.url("/ofac/SDN.CSV")
    assert problems == [f"ofac-sdn: {url}: HTTP 500 Internal Server Error (2 attempts)"]
    assert [path for path, _ in server.requests].count("/ofac/SDN.CSV") == 2


def test_a_passing_failure_is_retried_and_the_update_adopted(
    home: Path, server: FixtureServer
) -> None:
    server.routes["/ofac/ALT.CSV"].failures = 1
    outcome = update_lists(options(home, server))
    assert outcome.status == "unchanged"  # the same v1 files: nothing new to adopt


def test_403_to_a_default_user_agent_is_avoided_with_a_browser_like_one(
    home: Path, server: FixtureServer
) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(server.url("/ofac/SDN.CSV"), timeout=5)
    assert refused.value.code == 403  # the server refuses urllib's own User-Agent ...
    refused.value.close()
    server.requests.clear()
    assert update_lists(options(home, server)).status == "unchanged"  # ... but not ours
    agents = {agent for path, agent in server.requests if path.startswith("/ofac/")}
    assert len(agents) == 1
    agent = agents.pop()
    assert agent.startswith("Mozilla/5.0 ") and " screen/" in agent


def test_403_is_reported_and_not_retried(home: Path, server: FixtureServer) -> None:
    policy = FetchPolicy(timeout=0.5, attempts=3, backoff=0.01, user_agent="Python-urllib/3.11")
    server.requests.clear()
    problems = _fails(home, server, policy=policy, without=frozenset({"ofac-cons"}))
    assert len(problems) == 4  # one line per OFAC SDN file, nothing else
    url = server.url("/ofac/SDN.CSV")
    assert problems[0].startswith(f"ofac-sdn: {url}: HTTP 403 Forbidden: the server refused")
    assert [path for path, _ in server.requests].count("/ofac/SDN.CSV") == 1


def test_a_redirect_is_followed_and_recorded(home: Path, server: FixtureServer) -> None:
    server.routes["/mirror/consolidated.csv"] = Route((FIXTURES / "csl" / "v2.csv").read_bytes())
    server.routes["/csl/consolidated.csv"] = Route(location="/mirror/consolidated.csv")
    outcome = update_lists(options(home, server))
    assert outcome.status == "adopted"
    record = (outcome.directory / "release.json").read_text()
    assert server.url("/mirror/consolidated.csv") in record


def test_a_redirect_from_https_to_http_is_refused() -> None:
    request = urllib.request.Request("https://example.org/SDN.CSV")
    with pytest.raises(urllib.error.URLError, match="refused a redirect from https"):
        _NoDowngrade().redirect_request(
            request, None, 302, "Found", Message(), "http://example.org/SDN.CSV"
        )


def test_truncated_body(home: Path, server: FixtureServer) -> None:
    route = server.routes["/ofac/SDN.CSV"]
    route.cut_at = len(route.body) // 2
    problems = _fails(home, server)
    (problem,) = problems
    assert problem.startswith(f"ofac-sdn: {server.url('/ofac/SDN.CSV')}: ")
    assert "truncated body" in problem and problem.endswith("(2 attempts)")


def test_a_file_cut_off_mid_row_without_a_length_is_caught_by_its_format(
    home: Path, server: FixtureServer
) -> None:
    route = server.routes["/ofac/ALT.CSV"]
    route.body = route.body[: len(route.body) // 2]  # served whole: only the format shows it
    (problem,) = _fails(home, server)
    assert problem == (
        f"ofac-sdn: {server.url('/ofac/ALT.CSV')}: the last row has no line end "
        "(truncated body) (2 attempts)"
    )


def test_html_error_page(home: Path, server: FixtureServer) -> None:
    page = b"<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head></html>\n"
    server.routes["/un/consolidated.xml"] = Route(page, headers={"Content-Type": "text/html"})
    (problem,) = _fails(home, server)
    assert problem == (
        f"un: {server.url('/un/consolidated.xml')}: the server sent an HTML page titled "
        "'Service Unavailable', not the list (an error, maintenance or login page) (2 attempts)"
    )


def test_empty_file(home: Path, server: FixtureServer) -> None:
    server.routes["/csl/consolidated.csv"] = Route(b"")
    (problem,) = _fails(home, server)
    url = server.url("/csl/consolidated.csv")
    assert problem == f"csl: {url}: empty body (0 bytes): not a list (2 attempts)"


def test_a_source_with_no_records_is_never_adopted(home: Path, server: FixtureServer) -> None:
    header = (FIXTURES / "csl" / "v1.csv").read_bytes().splitlines(keepends=True)[0]
    server.routes["/csl/consolidated.csv"] = Route(header)
    problems = _fails(home, server, accept_shrink=True)
    url = server.url("/csl/consolidated.csv")
    assert f"csl: {url}: no records: an empty list is never adopted" in problems


def _digest(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def test_wrong_published_hash(home: Path, server: FixtureServer) -> None:
    route = server.routes["/un/consolidated.xml"]
    route.headers["Content-Digest"] = f"sha-256=:{_digest(route.body + b' ')}:"
    (problem,) = _fails(home, server)
    assert problem == (
        f"un: {server.url('/un/consolidated.xml')}: the body's sha256 does not match the one the "
        "server published in Content-Digest (download corrupted or file changed) (2 attempts)"
    )


def test_right_published_hash_is_checked_and_recorded(home: Path, server: FixtureServer) -> None:
    route = server.routes["/csl/consolidated.csv"]
    route.body = (FIXTURES / "csl" / "v2.csv").read_bytes()
    route.headers["Content-Digest"] = f"sha-256=:{_digest(route.body)}:"
    outcome = update_lists(options(home, server))
    assert "sha256 published in Content-Digest" in (outcome.directory / "release.json").read_text()


def test_wrong_pinned_hash(home: Path, server: FixtureServer) -> None:
    url = server.url("/un/consolidated.xml")
    (problem,) = _fails(home, server, urls={**server.urls, "un": url + "#sha256=" + "0" * 64})
    assert problem.startswith(f"un: {url}: sha256 of the body is ")
    assert problem.endswith(f"the URL pins {'0' * 64} (file changed?)")


def test_not_the_expected_format(home: Path, server: FixtureServer) -> None:
    server.routes["/csl/consolidated.csv"] = Route(server.routes["/un/consolidated.xml"].body)
    (problem,) = _fails(home, server)
    assert "not the Consolidated Screening List: its first line should be the CSL header" in problem


def test_not_found(home: Path, server: FixtureServer) -> None:
    url = server.url("/nowhere/")
    problems = _fails(home, server, urls={**server.urls, "ofac-cons": url})
    assert len(problems) == 4
    assert problems[0] == (
        f"ofac-cons: {url}CONS_PRIM.CSV: HTTP 404 Not Found: no file at this address "
        "(check the --source URL)"
    )


def test_file_over_the_size_limit(home: Path, server: FixtureServer) -> None:
    policy = FetchPolicy(timeout=0.5, attempts=3, backoff=0.01, max_bytes=12_000)
    problems = _fails(home, server, policy=policy)
    assert problems == [
        f"csl: {server.url('/csl/consolidated.csv')}: the file is 19,378 bytes, over the limit "
        "of 12,000 bytes"
    ]


def test_source_shrunk_by_half(home: Path, server: FixtureServer) -> None:
    lines = (FIXTURES / "csl" / "v1.csv").read_bytes().splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    server.routes["/csl/consolidated.csv"] = Route(header + b"".join(rows[::2]))
    problems = _fails(home, server)
    url = server.url("/csl/consolidated.csv")
    assert (
        f"csl: {url}: list EL shrinks from 23 to 17 entries (-26%, more than the 10% allowed "
        "without --accept-shrink)"
    ) in problems  # the nine curated additions stay
    assert all(problem.startswith(f"csl: {url}: list ") for problem in problems)


def test_a_dropped_source_counts_as_shrinking(home: Path, server: FixtureServer) -> None:
    problems = _fails(home, server, without=frozenset({"un"}))
    assert problems == [
        "un: (not fetched): list UN would go from 5 entries to none: no source supplies it "
        "(a dropped source counts as shrinking)"
    ]


def test_malformed_csl_row(home: Path, server: FixtureServer) -> None:
    lines = (FIXTURES / "csl" / "v1.csv").read_bytes().splitlines(keepends=True)
    lines[3] = lines[3].rstrip(b"\n").rsplit(b",", 1)[0] + b"\n"  # one column short
    server.routes["/csl/consolidated.csv"] = Route(b"".join(lines))
    (problem,) = _fails(home, server)
    assert problem == (
        f"csl: {server.url('/csl/consolidated.csv')}: csl/consolidated.csv:4: "
        "28 columns where the header has 29"
    )


def test_malformed_csl_date(home: Path, server: FixtureServer) -> None:
    body = (FIXTURES / "csl" / "v1.csv").read_bytes()
    assert body.count(b"2003-06-19") == 1
    server.routes["/csl/consolidated.csv"] = Route(body.replace(b"2003-06-19", b"2003-06-31"))
    (problem,) = _fails(home, server)
    assert problem.endswith(": column start_date: not an ISO date: '2003-06-31'")


def test_malformed_ofac_row(home: Path, server: FixtureServer) -> None:
    route = server.routes["/ofac/SDN.CSV"]
    assert route.body.count(b"\r\n306,") == 1
    route.body = route.body.replace(b"\r\n306,", b"\r\n3O6,")
    (problem,) = _fails(home, server)
    assert problem == (
        f"ofac-sdn: {server.url('/ofac/')}: ofac-sdn/SDN.CSV:2: ent_num: not a number: '3O6'"
    )


def test_malformed_un_xml(home: Path, server: FixtureServer) -> None:
    route = server.routes["/un/consolidated.xml"]
    route.body = route.body.replace(b"</INDIVIDUAL>", b"</INDIVIDUALS>", 1)
    (problem,) = _fails(home, server)
    assert problem.startswith(f"un: {server.url('/un/consolidated.xml')}: un/consolidated.xml:")
    assert "malformed XML: mismatched tag" in problem


def test_ofac_files_of_two_publications(home: Path, server: FixtureServer) -> None:
    # ADD.CSV of the later publication with the SDN.CSV of the earlier one
    server.routes["/ofac/ADD.CSV"].body = (FIXTURES / "ofac-sdn" / "v2" / "ADD.CSV").read_bytes()
    (problem,) = _fails(home, server)
    assert problem.startswith(f"ofac-sdn: {server.url('/ofac/')}: ofac-sdn/ADD.CSV:")
    assert "ent_num 17527 is not in ofac-sdn/SDN.CSV: the files are not from one publication" in (
        problem
    )


def test_every_problem_is_reported_on_its_own_line(home: Path, server: FixtureServer) -> None:
    server.routes["/csl/consolidated.csv"] = Route(b"")
    server.routes["/un/consolidated.xml"] = Route(status=500)
    problems = _fails(home, server)
    assert [problem.split(":", 1)[0] for problem in problems] == ["csl", "un"]



def test_an_error_page_labelled_html_is_reported_as_one(home: Path, server: FixtureServer) -> None:
    server.routes["/csl/consolidated.csv"] = Route(
        b"Rate limit exceeded, try later\n", headers={"Content-Type": "text/html; charset=utf-8"}
    )
    (problem,) = _fails(home, server)
    assert "the server sent an HTML page, not the list" in problem


def test_a_list_mislabelled_html_is_still_a_list(home: Path, server: FixtureServer) -> None:
    server.routes["/csl/consolidated.csv"].headers["Content-Type"] = "text/html"
    assert update_lists(options(home, server)).status == "unchanged"


def test_a_pin_on_a_base_url_is_refused(home: Path, server: FixtureServer) -> None:
    url = server.url("/ofac/") + "#sha256=" + "0" * 64
    server.requests.clear()
    problems = _fails(home, server, urls={**server.urls, "ofac-sdn": url})
    assert problems == [
        "--source ofac-sdn: a #sha256= pin names one file, but ofac-sdn is a base URL of 4 files"
    ]
    assert server.requests == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:notaport/x.csv", "not a usable URL: nonnumeric port: 'notaport'"),
        ("http://[::1/x.csv", "not a usable URL: Invalid IPv6 URL"),
        ("ftp://127.0.0.1/x.csv", "not an http, https or file URL (scheme 'ftp')"),
    ],
)
def test_an_unusable_url(home: Path, server: FixtureServer, url: str, message: str) -> None:
    assert _fails(home, server, urls={**server.urls, "csl": url}) == [f"csl: {url}: {message}"]
