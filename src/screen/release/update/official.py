"""The official sources ``screen lists update`` downloads, and what each file must look like.

=========  ==================================================================  =================
name       default URL                                                         files
=========  ==================================================================  =================
csl        data.trade.gov/.../consolidated.csv (or .json)                       the URL's file
ofac-sdn   sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/  SDN.CSV, ADD.CSV,
                                                                               ALT.CSV,
                                                                               SDN_COMMENTS.CSV
ofac-cons  (the same base URL)                                                 CONS_PRIM.CSV,
                                                                               CONS_ADD.CSV,
                                                                               CONS_ALT.CSV,
                                                                               CONS_COMMENTS.CSV
un         scsanctions.un.org/resources/xml/en/consolidated.xml                the URL's file
=========  ==================================================================  =================

For ``csl`` and ``un`` the URL is the file's; for the OFAC sources it is a base URL to which
OFAC's upper-case file names are appended. The checks here are the quick ones made on every
downloaded body (is it this format, is it whole); the converters then read every row.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "OFAC_EXPORTS",
    "SOURCES",
    "SOURCE_NAMES",
    "OfficialFile",
    "OfficialSource",
    "check_csl",
    "check_ofac_csv",
    "check_un",
    "csl_is_json",
    "files_of",
]

OFAC_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
"""OFAC's Sanctions List Service: each file is at this base URL plus its upper-case name."""

_ITA = "US Department of Commerce, International Trade Administration"
_OFAC = "US Department of the Treasury, Office of Foreign Assets Control"
_UN = "United Nations Security Council"


@dataclass(frozen=True)
class OfficialFile:
    """One file of a source: its name in the release and where it is downloaded from."""

    source: str
    name: str
    """Name in the release's ``sources``, e.g. ``ofac-sdn/SDN.CSV``."""
    url: str
    check: Callable[[bytes], str | None]
    may_be_empty: bool = False
    """OFAC's comment files only hold remarks that overflow; they may have no rows."""


@dataclass(frozen=True)
class OfficialSource:
    """A publisher's list as ``screen lists update`` fetches it."""

    name: str
    default_url: str
    publisher: str
    files: tuple[str, ...]
    """OFAC's file names, appended to the base URL; empty for a source that is one file."""


def _head(data: bytes, size: int = 4096) -> str:
    return data[:size].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")


def csl_is_json(data: bytes) -> bool:
    """True when a CSL body is the JSON format rather than the CSV."""
    return _head(data, 64).startswith(("{", "["))


def check_csl(data: bytes) -> str | None:
    """What is wrong with a body that should be the CSL (CSV or JSON), or None."""
    if csl_is_json(data):
        if not data.rstrip().endswith(b"}"):
            return "the JSON ends before its closing brace (truncated body)"
        return None
    first = _head(data).split("\n", 1)[0].strip()
    if not first.startswith("_id,source,"):
        return (
            "not the Consolidated Screening List: its first line should be the CSL header "
            f"(_id,source,...), not {first[:60]!r}"
        )
    if not data.endswith(b"\n"):
        return "the last line has no line end (truncated body)"
    return None


_OFAC_ROW = re.compile(r'^\d+,')


def check_ofac_csv(data: bytes) -> str | None:
    """What is wrong with a body that should be one of OFAC's legacy CSV files, or None."""
    first = _head(data).split("\n", 1)[0].strip()
    if first.strip("\x1a") and not _OFAC_ROW.match(first):
        return (
            "not an OFAC legacy CSV file: its first field should be an ent_num, "
            f"the first line is {first[:60]!r}"
        )
    body = data.rstrip(b"\x1a")
    if body and not body.endswith(b"\n"):
        return "the last row has no line end (truncated body)"
    return None


def check_un(data: bytes) -> str | None:
    """What is wrong with a body that should be the UN consolidated list XML, or None."""
    if "<CONSOLIDATED_LIST" not in _head(data, 2048):
        return "not the UN Security Council consolidated list (no CONSOLIDATED_LIST element)"
    if not data.rstrip().endswith(b"</CONSOLIDATED_LIST>"):
        return "the XML ends before </CONSOLIDATED_LIST> (truncated body)"
    return None


SOURCES: dict[str, OfficialSource] = {
    "csl": OfficialSource(
        "csl",
        "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
        _ITA,
        (),
    ),
    "ofac-sdn": OfficialSource(
        "ofac-sdn", OFAC_EXPORTS, _OFAC, ("SDN.CSV", "ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV")
    ),
    "ofac-cons": OfficialSource(
        "ofac-cons",
        OFAC_EXPORTS,
        _OFAC,
        ("CONS_PRIM.CSV", "CONS_ADD.CSV", "CONS_ALT.CSV", "CONS_COMMENTS.CSV"),
    ),
    "un": OfficialSource(
        "un", "https://scsanctions.un.org/resources/xml/en/consolidated.xml", _UN, ()
    ),
}
"""Every source ``screen lists update`` knows, by the name ``--source`` and ``--without`` use."""
SOURCE_NAMES: tuple[str, ...] = tuple(SOURCES)


def _base(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def files_of(source: OfficialSource, url: str) -> list[OfficialFile]:
    """The files to download for ``source`` from ``url`` (its file, or its OFAC base URL)."""
    if source.name == "csl":
        return [OfficialFile(source.name, "csl/consolidated", url, check_csl)]
    if source.name == "un":
        return [OfficialFile(source.name, "un/consolidated.xml", url, check_un)]
    base = _base(url)
    return [
        OfficialFile(
            source.name,
            f"{source.name}/{name}",
            urllib.parse.urljoin(base, name),
            check_ofac_csv,
            may_be_empty=name.endswith("COMMENTS.CSV"),
        )
        for name in source.files
    ]
