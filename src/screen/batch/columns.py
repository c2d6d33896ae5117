"""Which columns of a file's header hold the name, the country and the item: chosen by header
name (exact, then ignoring case and outer spaces) or 1-based number, and the name column
detected from common header names when none is given."""

from __future__ import annotations

from collections.abc import Sequence

from screen.batch.options import BatchError

__all__ = ["NAME_HEADERS", "find_column", "pick_name_column"]

NAME_HEADERS: tuple[str, ...] = (
    "name",
    "fullname",
    "partyname",
    "party",
    "counterpartyname",
    "counterparty",
    "companyname",
    "company",
    "customername",
    "customer",
    "legalname",
    "entityname",
    "entity",
    "organisationname",
    "organizationname",
    "organisation",
    "organization",
    "businessname",
    "accountname",
    "beneficiaryname",
    "beneficiary",
)
"""Header names taken for the name column, in order of preference, compared lower-case with
spaces, underscores and hyphens removed."""


def pick_name_column(
    header: Sequence[str], wanted: str | None, option: str = "--name-column"
) -> tuple[int, bool]:
    """The index of the name column and whether it was auto-detected (BatchError if not found;
    ``option`` names the setting in the message)."""
    if wanted is not None:
        return find_column(header, wanted, option), False
    normalised = [_squash(name) for name in header]
    for candidate in NAME_HEADERS:
        if candidate in normalised:
            return normalised.index(candidate), True
    return 0, True


def _squash(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch not in " _-.").strip()


def find_column(header: Sequence[str], wanted: str, option: str) -> int:
    """The index of column ``wanted``: its exact name, else its name ignoring case and outer
    spaces, else its 1-based number; BatchError naming ``option`` when there is none."""
    if wanted in header:
        return list(header).index(wanted)
    folded = [name.strip().casefold() for name in header]
    if wanted.strip().casefold() in folded:
        return folded.index(wanted.strip().casefold())
    if wanted.isdigit() and 1 <= int(wanted) <= len(header):
        return int(wanted) - 1
    shown = ", ".join(repr(name) for name in header[:20])
    raise BatchError(f"{option}: no column {wanted!r} in the header (columns: {shown})")
