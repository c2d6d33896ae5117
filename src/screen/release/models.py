"""Typed, frozen records of a list release: the entries screened against, and the release.

These models are the one contract between the list converters, the list loader, the matcher and
every output format. They hold data only; loading, validation of whole files and checksums live in
:mod:`screen.release.store`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "SOURCE_LIST_TITLES",
    "Address",
    "Alias",
    "AliasKind",
    "EntityType",
    "ListEntry",
    "ListRelease",
    "ReleaseSource",
    "SourceList",
    "SourceRef",
    "Verification",
]

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1)]
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceList(StrEnum):
    """The published list an entry comes from (short codes, as on the CLI: ``--list EL,SDN``)."""

    EL = "EL"
    SDN = "SDN"
    DPL = "DPL"
    UVL = "UVL"
    MEU = "MEU"
    ISN = "ISN"
    SSI = "SSI"
    CMIC = "CMIC"
    DTC = "DTC"
    PLC = "PLC"
    CAP = "CAP"
    NS_MBS = "NS-MBS"
    FSE = "FSE"
    UN = "UN"


SOURCE_LIST_TITLES: dict[SourceList, str] = {
    SourceList.EL: "Entity List (EL) - Bureau of Industry and Security",
    SourceList.SDN: "Specially Designated Nationals (SDN) - Treasury Department",
    SourceList.DPL: "Denied Persons List (DPL) - Bureau of Industry and Security",
    SourceList.UVL: "Unverified List (UVL) - Bureau of Industry and Security",
    SourceList.MEU: "Military End User (MEU) List - Bureau of Industry and Security",
    SourceList.ISN: "Nonproliferation Sanctions (ISN) - State Department",
    SourceList.SSI: "Sectoral Sanctions Identifications List (SSI) - Treasury Department",
    SourceList.CMIC: (
        "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department"
    ),
    SourceList.DTC: "ITAR Debarred (DTC) - State Department",
    SourceList.PLC: "Palestinian Legislative Council List (PLC) - Treasury Department",
    SourceList.CAP: "Capta List (CAP) - Treasury Department",
    SourceList.NS_MBS: "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",
    SourceList.FSE: "Foreign Sanctions Evaders (FSE) - Treasury Department",
    SourceList.UN: "United Nations Security Council Consolidated List",
}
"""The publisher's own title of each source list."""


class EntityType(StrEnum):
    """What kind of party an entry names."""

    ENTITY = "entity"
    INDIVIDUAL = "individual"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"


class AliasKind(StrEnum):
    """How the source qualifies an alternative name."""

    AKA = "aka"
    """Also known as (the default for lists that do not qualify their aliases)."""
    FKA = "fka"
    """Formerly known as."""
    NKA = "nka"
    """Now known as."""
    ORIGINAL_SCRIPT = "original_script"
    """The name in its original, non-Latin script, as the source gives it."""
    INNER = "inner"
    """A name written inside another name of the entry, in brackets or after a.k.a./f.k.a.
    (``Huawei`` in ``Huawei Technologies Co., Ltd. (Huawei)``): read by screen when it indexes
    a release (``screen.index.inner_names``), never a source's own kind."""
    OUTER = "outer"
    """What is left of such a name without the names written inside it
    (``Huawei Technologies Co., Ltd.``), read by screen likewise."""


Verification = Literal["official", "secondary-source"]
"""``official``: converted from the publisher's own data file. ``secondary-source``: built from
secondary reporting because the official text was not available; see the entry's ``source.url``."""


class Alias(_Frozen):
    """An alternative name of an entry, kept in the script the source gives it in."""

    name: NonEmptyStr
    kind: AliasKind = AliasKind.AKA
    remarks: str | None = None
    """Source qualifiers such as OFAC's ``weak`` / ``strong`` or the UN's quality field."""


class Address(_Frozen):
    """One address as the source gives it; ``country`` is ISO 3166-1 alpha-2 when known."""

    text: str
    country: str | None = None


class SourceRef(_Frozen):
    """Where exactly an entry came from, so it can be traced back to the published file."""

    file: NonEmptyStr
    """Source file name as recorded in the release's ``sources``."""
    record: NonEmptyStr
    """Row number, record id or section within that file."""
    date: dt.date
    """Date of the source data (not of the conversion)."""
    url: str | None = None


class ListEntry(_Frozen):
    """One restricted party as published by one source list."""

    id: NonEmptyStr
    """Stable across releases: derived from the publisher's own identifier where it has one."""
    source_list: SourceList
    entity_type: EntityType | None = None
    name: NonEmptyStr
    """The primary name, exactly as published."""
    aliases: tuple[Alias, ...] = ()
    addresses: tuple[Address, ...] = ()
    countries: tuple[str, ...] = ()
    """ISO 3166-1 alpha-2 codes of every country the entry is tied to (addresses, nationality)."""
    programs: tuple[str, ...] = ()
    title: str | None = None
    license_requirement: str | None = None
    license_policy: str | None = None
    federal_register: tuple[str, ...] = ()
    """Federal Register citations, e.g. ``90 FR 4617``."""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    dates_of_birth: tuple[str, ...] = ()
    places_of_birth: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    """Passport, registration and other numbers, as published."""
    remarks: str | None = None
    source: SourceRef
    verification: Verification = "official"

    @property
    def names(self) -> tuple[str, ...]:
        """The primary name followed by every alias, in source order."""
        return (self.name, *(alias.name for alias in self.aliases))


class ReleaseSource(_Frozen):
    """One source file a release was built from."""

    name: NonEmptyStr
    """Path of the file relative to the source directory, e.g. ``csl/consolidated-2022-04.csv``."""
    date: dt.date
    """Date of the data in it."""
    sha256: Sha256Hex
    url: str | None = None
    publisher: str | None = None
    records: int = Field(ge=0)


class ListRelease(_Frozen):
    """A complete, checksummed list release: what every screening result refers back to."""

    version: NonEmptyStr
    created: dt.date
    sources: tuple[ReleaseSource, ...]
    counts: dict[str, int]
    """Number of entries per source list code."""
    checksum: Sha256Hex
    """sha256 over the release's data files; identical sources give an identical checksum."""
    entries: tuple[ListEntry, ...]

    @property
    def data_date(self) -> dt.date:
        """The date of the newest source data in the release."""
        return max(source.date for source in self.sources)
