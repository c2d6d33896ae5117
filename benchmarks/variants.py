"""Seeded variations of list names, the way customer data spells listed parties.

Shared by the speed and candidate-recall benchmarks: every variant is made by a rule that
applies to names in general (a keyboard typo, words reordered, a legal form spelled out or
dropped, case), never by hand for one name.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from screen.release.models import ListRelease

_KEYBOARD_NEIGHBOURS = {
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc",
    "g": "ftyhbv", "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop",
    "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz",
    "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}  # fmt: skip
_LEGAL_FORMS = ("Co., Ltd.", "Company Limited", "LLC", "Limited", "JSC", "S.A.", "GmbH", "")


def typo(name: str, rng: random.Random) -> str:
    """One keyboard edit: swap two neighbours, delete, double, or hit a neighbouring key."""
    letters = [i for i, char in enumerate(name) if char.isalpha()]
    if len(letters) < 4:
        return name
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(4)
    if kind == 0:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == 1:
        return name[:i] + name[i + 1 :]
    if kind == 2:
        return name[:i] + name[i] + name[i:]
    neighbours = _KEYBOARD_NEIGHBOURS.get(name[i].lower(), name[i])
    replacement = rng.choice(neighbours)
    if name[i].isupper():
        replacement = replacement.upper()
    return name[:i] + replacement + name[i + 1 :]


def reorder(name: str, rng: random.Random) -> str:
    """``SURNAME, Given`` -> ``Given SURNAME``; otherwise words rotated."""
    if ", " in name:
        head, _, tail = name.partition(", ")
        return f"{tail} {head}"
    words = name.split()
    if len(words) < 2:
        return name
    cut = rng.randrange(1, len(words))
    return " ".join(words[cut:] + words[:cut])


def relabel(name: str, rng: random.Random) -> str:
    """Append, change or drop a legal form."""
    return f"{name} {rng.choice(_LEGAL_FORMS)}".strip()


def variants_of_release(release: ListRelease, count: int, seed: int = 7) -> list[tuple[str, str]]:
    """``count`` (variant, list name) pairs from random names of the release."""
    rng = random.Random(seed)
    entries = release.entries
    made: list[tuple[str, str]] = []
    rules = (typo, reorder, relabel, lambda n, r: n.upper(), lambda n, r: typo(reorder(n, r), r))
    while len(made) < count:
        entry = entries[rng.randrange(len(entries))]
        name = rng.choice(entry.names)
        if len(name) > 80:
            continue
        made.append((rng.choice(rules)(name, rng), name))
    return made


def sample(items: Sequence[str], count: int, seed: int = 11) -> list[str]:
    """A seeded sample (with repetition when ``count`` exceeds the items)."""
    rng = random.Random(seed)
    if count <= len(items):
        return rng.sample(list(items), count)
    return [rng.choice(items) for _ in range(count)]
