"""Download one published list file, or fail with a message that says exactly what went wrong.

Plain :mod:`urllib` (standard library): one GET per file, redirects followed, no cookies, no
session; nothing a third-party HTTP client would add is needed here, and the package keeps one
dependency less.

Every download:

* sends a browser-like ``User-Agent``: OFAC's Sanctions List Service firewall refuses clients
  that do not (since mid-2026), and urllib's default (``Python-urllib/3.x``) is one of those;
* follows redirects (OFAC answers with a redirect to a short-lived storage link), but never from
  ``https`` to plain ``http``;
* has a timeout for connecting and for each read, and a size limit;
* is retried a bounded number of times, with exponential backoff, when the failure may pass (a
  refused or dropped connection, a timeout, HTTP 5xx or 429, a cut-off body, an error page);
  never when it will not (HTTP 4xx, a file that is too large, a hash that does not match a pin);
* checks the body: not empty, as long as ``Content-Length`` said, not an HTML page (by its first
  bytes, or by its ``Content-Type`` when it is not the format expected either), the format the
  caller expects (the caller's ``check``), and the publisher's hash when the server sends one
  (``Content-Digest`` / ``Repr-Digest`` (RFC 9530), ``Digest`` (RFC 3230),
  ``x-amz-checksum-sha256``, ``Content-MD5``) or when the URL pins one with a ``#sha256=HEX``
  fragment (never sent to the server).

Bodies are held in memory (the largest official file is tens of megabytes), so a failed download
leaves nothing on disk.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.utils
import hashlib
import http.client
import re
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message

from screen import __version__

__all__ = [
    "BROWSER_USER_AGENT",
    "FetchError",
    "FetchPolicy",
    "Fetched",
    "fetch",
    "looks_like_html",
    "split_pin",
]

BROWSER_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    f"Chrome/126.0 Safari/537.36 screen/{__version__}"
)
"""What downloads send as ``User-Agent``: a browser's, with this tool named at the end."""

_SCHEMES = ("http", "https", "file")
_PIN = re.compile(r"^sha256=([0-9a-fA-F]{64})$")
_BLOCK = 1 << 20
_MAX_DELAY = 60.0


class FetchError(Exception):
    """A download failed: names the source, the URL and what was wrong, on one line."""

    def __init__(self, source: str, url: str, message: str, *, retryable: bool = False) -> None:
        self.source = source
        self.url = url
        self.message = message
        self.retryable = retryable
        self.retry_after: float | None = None
        super().__init__(f"{source}: {url}: {message}")


@dataclass(frozen=True)
class FetchPolicy:
    """How hard and how long to try."""

    timeout: float = 60.0
    """Seconds to wait for a connection and for each read."""
    attempts: int = 3
    """Tries per file, the first included (1: no retry)."""
    backoff: float = 2.0
    """Seconds before the second try; doubled before each further one (at most a minute)."""
    max_bytes: int = 512 * 1024 * 1024
    """Largest body accepted."""
    user_agent: str = BROWSER_USER_AGENT


@dataclass(frozen=True)
class Fetched:
    """A downloaded file that passed every check."""

    source: str
    url: str
    """The URL asked for (without a ``#sha256=`` pin)."""
    final_url: str
    """Where the body came from, after redirects."""
    data: bytes
    fetched_at: dt.datetime
    last_modified: dt.datetime | None
    verified: str | None
    """Which published or pinned hash the body was checked against, if any."""

    @property
    def sha256(self) -> str:
        """Hex sha256 of the body."""
        return hashlib.sha256(self.data).hexdigest()


def split_pin(url: str) -> tuple[str, str | None]:
    """The URL without its fragment, and the sha256 a ``#sha256=HEX`` fragment pins (or None)."""
    base, _, fragment = url.partition("#")
    match = _PIN.match(fragment)
    return base, (match.group(1).lower() if match else None)


class _NoDowngrade(urllib.request.HTTPRedirectHandler):
    """Follows redirects (keeping the request's headers), but never from https to http."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        old = urllib.parse.urlsplit(req.full_url).scheme
        new = urllib.parse.urlsplit(newurl).scheme
        if old == "https" and new != "https":
            raise urllib.error.URLError(f"refused a redirect from https to {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoDowngrade())


def _network_message(reason: object, timeout: float) -> tuple[str, bool]:
    """What a failed connection means, and whether trying again may help."""
    if isinstance(reason, http.client.InvalidURL):
        return f"not a usable URL: {reason}", False
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted: {reason.verify_message}", False
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"no response within {timeout:g} s (timeout)", True
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (nothing is listening there)", True
    if isinstance(reason, socket.gaierror):
        return f"host name not found ({reason.strerror})", True
    if isinstance(reason, FileNotFoundError):
        return "no such file", False
    if isinstance(reason, ssl.SSLError):
        return f"TLS error: {reason.reason or reason}", True
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the server closed the connection without answering", True
    if isinstance(reason, ConnectionResetError):
        return "connection reset by the server", True
    if isinstance(reason, OSError):
        return f"network error: {reason.strerror or reason}", True
    return str(reason), False


def _http_error(source: str, url: str, error: urllib.error.HTTPError, agent: str) -> FetchError:
    status = f"HTTP {error.code} {error.reason}"
    if error.code == 403:
        message = (
            f"{status}: the server refused the request (this request sent a browser-like "
            f"User-Agent, {agent.split(' ', 1)[0]} ...; a firewall may still refuse it)"
        )
    elif error.code == 404:
        message = f"{status}: no file at this address (check the --source URL)"
    elif error.code in (301, 302, 303, 307, 308):
        message = f"{status}: too many redirects, or a redirect without a new address"
    else:
        message = status
    failure = FetchError(source, url, message, retryable=error.code >= 500 or error.code == 429)
    retry_after = error.headers.get("Retry-After") if error.headers else None
    if retry_after and retry_after.strip().isdigit():
        failure.retry_after = float(retry_after.strip())
    return failure


def _html_title(data: bytes) -> str:
    match = re.search(rb"<title[^>]*>(.*?)</title>", data[:65536], re.IGNORECASE | re.DOTALL)
    if match is None:
        return ""
    title = " ".join(match.group(1).decode("utf-8", "replace").split())[:80]
    return f" titled {title!r}" if title else ""


def looks_like_html(data: bytes) -> bool:
    """True when the body starts like an HTML page."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def _digest_items(value: str) -> list[tuple[str, str]]:
    items = []
    for part in value.split(","):
        key, _, raw = part.strip().partition("=")
        items.append((key.strip().lower(), raw.strip()))
    return items


_ALGORITHMS = {"sha-512": "sha512", "sha-256": "sha256", "md5": "md5"}


def _published_digest(headers: Message) -> tuple[str, str, bytes] | None:
    """(header, hashlib algorithm, expected digest) from the first digest header sent."""
    for header in ("Content-Digest", "Repr-Digest", "Digest"):
        value = headers.get(header)
        if not value:
            continue
        items = dict(_digest_items(value))
        for name, algorithm in _ALGORITHMS.items():
            if name in items:
                encoded = items[name].strip(":")  # RFC 9530 wraps the base64 in colons
                try:
                    return header, algorithm, base64.b64decode(encoded, validate=True)
                except binascii.Error:
                    return header, algorithm, b""
    for header, algorithm in (("x-amz-checksum-sha256", "sha256"), ("Content-MD5", "md5")):
        value = headers.get(header)
        if value:
            try:
                return header, algorithm, base64.b64decode(value.strip(), validate=True)
            except binascii.Error:
                return header, algorithm, b""
    return None


def _read_body(
    source: str, url: str, response: http.client.HTTPResponse, policy: FetchPolicy
) -> bytes:
    length_header = response.headers.get("Content-Length")
    expected = int(length_header) if length_header and length_header.isdigit() else None
    limit = policy.max_bytes
    if expected is not None and expected > limit:
        raise FetchError(
            source, url, f"the file is {expected:,} bytes, over the limit of {limit:,} bytes"
        )
    chunks: list[bytes] = []
    total = 0
    try:
        while block := response.read(_BLOCK):
            total += len(block)
            if total > limit:
                raise FetchError(source, url, f"the body exceeds the limit of {limit:,} bytes")
            chunks.append(block)
    except http.client.IncompleteRead as exc:
        raise FetchError(
            source,
            url,
            f"the connection closed after {total + len(exc.partial):,} of {expected or '?'} bytes "
            "(truncated body)",
            retryable=True,
        ) from None
    except (OSError, http.client.HTTPException) as exc:
        message, retry = _network_message(exc, policy.timeout)
        raise FetchError(
            source, url, f"{message} after {total:,} bytes of the body", retryable=retry
        ) from None
    if expected is not None and total != expected:
        raise FetchError(
            source,
            url,
            f"received {total:,} bytes, Content-Length said {expected:,} (truncated body)",
            retryable=True,
        )
    return b"".join(chunks)


def _check_hash(
    source: str, url: str, data: bytes, headers: Message, pin: str | None
) -> str | None:
    checked = []
    if pin is not None:
        actual = hashlib.sha256(data).hexdigest()
        if actual != pin:
            raise FetchError(
                source, url, f"sha256 of the body is {actual}, the URL pins {pin} (file changed?)"
            )
        checked.append("sha256 pinned in the URL")
    published = _published_digest(headers)
    if published is not None:
        header, algorithm, expected = published
        actual_digest = hashlib.new(algorithm, data).digest()
        if actual_digest != expected:
            raise FetchError(
                source,
                url,
                f"the body's {algorithm} does not match the one the server published in "
                f"{header} (download corrupted or file changed)",
                retryable=True,
            )
        checked.append(f"{algorithm} published in {header}")
    return ", ".join(checked) or None


def _last_modified(headers: Message) -> dt.datetime | None:
    value = headers.get("Last-Modified")
    if not value:
        return None
    try:
        stamp = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def _attempt(
    source: str,
    url: str,
    pin: str | None,
    check: Callable[[bytes], str | None],
    policy: FetchPolicy,
    allow_empty: bool,
) -> Fetched:
    try:
        request = urllib.request.Request(
            url,
            headers={
                "User-Agent": policy.user_agent,
                "Accept": "*/*",
                "Accept-Encoding": "identity",  # urllib does not decompress
            },
        )
        response = _opener().open(request, timeout=policy.timeout)
    except urllib.error.HTTPError as exc:
        with exc:
            raise _http_error(source, url, exc, policy.user_agent) from None
    except urllib.error.URLError as exc:
        message, retry = _network_message(exc.reason, policy.timeout)
        raise FetchError(source, url, message, retryable=retry) from None
    except (OSError, http.client.HTTPException) as exc:
        message, retry = _network_message(exc, policy.timeout)
        raise FetchError(source, url, message, retryable=retry) from None
    except ValueError as exc:  # urllib's word for a URL it cannot use (bad host or port ...)
        raise FetchError(source, url, f"not a usable URL: {exc}") from None
    fetched_at = dt.datetime.now(dt.UTC)
    with response:
        final_url = response.geturl()
        headers = response.headers
        data = _read_body(source, url, response, policy)
    where = url if final_url == url else f"{url} (redirected to {final_url})"
    if not data and not allow_empty:
        raise FetchError(source, where, "empty body (0 bytes): not a list", retryable=True)
    problem = check(data) if data else None
    # a list mislabelled text/html is still a list; an HTML page is never one
    labelled_html = "html" in (headers.get("Content-Type") or "").lower()
    if data and (looks_like_html(data) or (problem is not None and labelled_html)):
        raise FetchError(
            source,
            where,
            f"the server sent an HTML page{_html_title(data)}, not the list "
            "(an error, maintenance or login page)",
            retryable=True,
        )
    verified = _check_hash(source, where, data, headers, pin)
    if problem is not None:
        raise FetchError(source, where, problem, retryable=True)
    return Fetched(
        source=source,
        url=url,
        final_url=final_url,
        data=data,
        fetched_at=fetched_at,
        last_modified=_last_modified(headers),
        verified=verified,
    )


def fetch(
    source: str,
    url: str,
    check: Callable[[bytes], str | None],
    policy: FetchPolicy | None = None,
    *,
    allow_empty: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> Fetched:
    """Download ``url`` for ``source``; ``check`` returns what is wrong with a body, or None.

    Raises :class:`FetchError` (one line: source, URL, what was wrong, attempts made) when the
    file cannot be had. ``allow_empty`` accepts a 0-byte body (files that may hold no rows).
    """
    policy = policy or FetchPolicy()
    base, pin = split_pin(url)
    try:
        scheme = urllib.parse.urlsplit(base).scheme.lower()
    except ValueError as exc:
        raise FetchError(source, base, f"not a usable URL: {exc}") from None
    if scheme not in _SCHEMES:
        raise FetchError(source, base, f"not an http, https or file URL (scheme {scheme!r})")
    attempts = max(1, policy.attempts)
    for attempt in range(1, attempts + 1):
        try:
            return _attempt(source, base, pin, check, policy, allow_empty)
        except FetchError as exc:
            if not exc.retryable or attempt == attempts:
                if attempt > 1:
                    raise FetchError(
                        exc.source, exc.url, f"{exc.message} ({attempt} attempts)"
                    ) from None
                raise
            delay = min(policy.backoff * 2 ** (attempt - 1), _MAX_DELAY)
            if exc.retry_after is not None:
                delay = max(delay, min(exc.retry_after, _MAX_DELAY))
            sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
