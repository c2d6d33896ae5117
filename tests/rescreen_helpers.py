"""Two small real releases a list update apart, and a stored result screened on the older one.

Both releases are cut from the shipped release (nothing is invented): the older holds a few
hundred entries; the newer removes some of them (delisted), adds others of the shipped release
(newly listed) and changes some, as list updates do: a primary name respelt with the old spelling
kept as an alias, an alias dropped, the countries changed, a new alias that is another entry's
name. The records are these entries' names as customers would write them (as listed, reordered,
with a typo, in title case), names of untouched entries, and ordinary names.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from batch_helpers import write_release_of

from screen.batch.run import BatchOptions, run_batch
from screen.release.models import Alias, ListEntry
from screen.release.store import default_release
from screen.screener import Screener

SEED = 18

ORDINARY = (
    "Acme Bakery Ltd", "Jesse Townsend", "Baker, Walker and Powell", "Nordlicht Logistik GmbH",
    "Transportes Amorós S.L.U.", "Ülker Yüksel San.", "Hançer San.", "Griffin Dickinson-Rowe",
    "Tresoldi, Cociarelli e Briccialdi e figli", "Adam Wilson Brown", "Ms. Watson",
    "北京星辰科技有限公司", "Игнатьева Синклитикия Вячеславовна", "هيمان جزيني المهرة",
    "株式会社加藤電気", "(유) 우리그룹 비전", "Stumpf KGaA Mälzer", "François du Lecomte",
    "Borromini e figli Borsellino Group", "Kazakh Trading House LLP", "Golden Star Shipping",
    "Global Technology Holdings", "Al Noor Trading Company", "Mohammed Hassan Ali",
    "Li Wei", "Zhang Hua Trading", "Ivanov Petr", "Sea Breeze Maritime", "Delta Finance Group",
)


@dataclass(frozen=True)
class Update:
    """The two releases, what changed between them, and the stored result."""

    old: Path
    new: Path
    added: frozenset[str]
    removed: frozenset[str]
    changed: frozenset[str]
    result: Path
    source: Path


def _respelt(name: str, rng: random.Random) -> str:
    if len(name) < 6:
        return name + name[-1]
    at = rng.randrange(1, len(name) - 2)
    return name[:at] + name[at + 1] + name[at] + name[at + 2 :]


def _vary(name: str, rng: random.Random) -> str:
    choice = rng.randrange(4)
    if choice == 0 and len(name) > 6:
        at = rng.randrange(1, len(name) - 2)
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    if choice == 1 and "," in name:
        surname, _, given = name.partition(",")
        return f"{given.strip()} {surname.strip()}"
    if choice == 2:
        return name.title()
    return name


def make_update(folder: Path, size: int = 600, changes: int = 15) -> Update:
    """Write the two releases and the stored result (screened on the older) under ``folder``."""
    rng = random.Random(SEED)
    shipped = list(default_release().entries)
    pool = rng.sample(shipped, size + changes)
    old_entries, newcomers = pool[:size], pool[size:]
    removed = old_entries[:changes]
    to_change = old_entries[changes : 3 * changes]
    changed: list[ListEntry] = []
    for number, entry in enumerate(to_change):
        kind = number % 4
        if kind == 0:
            update = {"name": _respelt(entry.name, rng),
                      "aliases": (*entry.aliases, Alias(name=entry.name))}
        elif kind == 1:
            update = {"aliases": entry.aliases[1:] if entry.aliases
                      else (Alias(name=_respelt(entry.name, rng)),)}
        elif kind == 2:
            update = {"countries": ("SY",) if entry.countries != ("SY",) else ("IR",)}
        else:
            update = {"aliases": (*entry.aliases, Alias(name=newcomers[number % changes].name))}
        changed.append(entry.model_copy(update=update))
    changed_ids = {entry.id for entry in changed}
    new_entries = [
        entry for entry in old_entries[changes:] if entry.id not in changed_ids
    ] + changed + newcomers
    old = write_release_of(folder / "old", "old-1", old_entries)
    new = write_release_of(folder / "new", "new-2", new_entries)

    names: list[str] = []
    for entry in [*removed, *to_change, *newcomers, *old_entries[3 * changes : 3 * changes + 60]]:
        names += [entry.name, _vary(entry.name, rng)]
        names += [alias.name for alias in entry.aliases[:2]]
    names += ORDINARY
    rng.shuffle(names)
    source = folder / "customers.csv"
    countries = ["", "IR", "RU", "CN", "SY", "US"]
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "country"])
        for number, name in enumerate(names, start=1):
            writer.writerow([f"C{number:05d}", name, countries[number % len(countries)]])
        writer.writerow(["C99998", "", "US"])  # an input error: no name
        writer.writerow(["C99999", "!!!", "US"])  # a name the screener cannot screen
    result = folder / "customers.jsonl"
    run_batch(
        source,
        result,
        Screener.from_path(str(old)),
        BatchOptions(output_format="jsonl", country_column="country", workers=1,
                     release_path=old),
    )
    return Update(
        old=old,
        new=new,
        added=frozenset(entry.id for entry in newcomers),
        removed=frozenset(entry.id for entry in removed),
        changed=changed_ids,
        result=result,
        source=source,
    )
