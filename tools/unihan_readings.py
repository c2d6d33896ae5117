"""Write ``src/screen/names/data/unihan_readings.tsv`` from the Unicode Han Database (Unihan).

    python tools/unihan_readings.py [UNIHAN_DIR]

``UNIHAN_DIR`` holds ``Unihan_Readings.txt`` and ``Unihan_Variants.txt`` (plain or ``.bz2``, as
Debian's ``unicode-data`` package installs them in ``/usr/share/unicode``, the default). Kept in
the repository so the table can be made again from a later Unihan release and checked.

Per character: ``kHangul`` (Korean readings, a reading marked ``N``, used in personal names,
first) and ``kJapaneseOn`` (Sino-Japanese readings, lower-case). A character without a Korean
reading (a simplified form: 张, 龙) takes those of its ``kTraditionalVariant`` (張, 龍): Chinese
texts write Korean names in simplified characters.
"""

from __future__ import annotations

import bz2
import sys
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "screen" / "names" / "data"
OUT = DATA / "unihan_readings.tsv"
FIELDS = ("kHangul", "kJapaneseOn", "kTraditionalVariant")


def _lines(directory: Path, name: str) -> list[str]:
    plain = directory / name
    if plain.exists():
        return plain.read_text(encoding="utf-8").splitlines()
    return bz2.decompress((directory / f"{name}.bz2").read_bytes()).decode("utf-8").splitlines()


def _char(code: str) -> str:
    return chr(int(code.removeprefix("U+"), 16))


def main(directory: Path) -> None:
    fields: dict[str, dict[str, str]] = defaultdict(dict)
    version = ""
    for name in ("Unihan_Readings.txt", "Unihan_Variants.txt"):
        for line in _lines(directory, name):
            if line.startswith("# Unicode version:"):
                version = line.split(":", 1)[1].strip()
            if not line.startswith("U+"):
                continue
            code, field, value = line.split("\t")
            if field in FIELDS:
                fields[_char(code)][field] = value
    rows = []
    for char in sorted(fields, key=ord):
        own = fields[char]
        hangul = own.get("kHangul")
        if hangul is None and "kTraditionalVariant" in own:
            for variant in own["kTraditionalVariant"].split():
                hangul = fields.get(_char(variant), {}).get("kHangul")
                if hangul is not None:
                    break
        readings = [value.split(":") for value in (hangul or "").split()]
        named = [reading for reading, sources in readings if "N" in sources]
        korean = named + [reading for reading, _ in readings if reading not in named]
        japanese = own.get("kJapaneseOn", "").lower().split()
        if korean or japanese:
            rows.append(f"{char}\t{' '.join(korean) or '-'}\t{' '.join(japanese) or '-'}\tunihan")
    header = (
        f"# Made by tools/unihan_readings.py from Unihan {version} (kHangul, kJapaneseOn,"
        " kTraditionalVariant); see README.md (unihan_readings.tsv).\n"
        "han\thangul\tjapanese_on\tsource\n"
    )
    OUT.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} rows -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/unicode"))
