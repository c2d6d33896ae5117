"""How the bytes of a CSV input become text: the encoding chosen from ``--encoding`` or the
byte-order mark, and each physical line decoded on its own.

Without a byte-order mark or ``--encoding`` a file is read as UTF-8, and a line that is not UTF-8
is read as Windows-1252 as long as no line before it was real (non-ASCII) UTF-8. A line that
decodes neither way keeps a best-effort text and the reason, so that it becomes one error record
and reading goes on.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from screen.batch.record import InputError

__all__ = ["Codec", "Line", "codec_for"]

_MAX_REPORTED_FALLBACK_LINES = 1_000

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE with byte-order mark"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE with byte-order mark"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 with byte-order mark"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE with byte-order mark"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE with byte-order mark"),
)


@dataclass(slots=True)
class Line:
    """One physical line of the input, decoded, with its 1-based number."""

    number: int
    text: str
    error: str | None = None
    """Why this line's bytes could not be decoded (or were too long to read); text is then a
    best-effort decoding so that CSV parsing stays aligned."""


class Codec:
    """How to split a byte stream into physical lines and decode each line."""

    def __init__(self, name: str, label: str, *, cp1252_fallback: bool) -> None:
        self.name = name
        self.label = label
        self.cp1252_fallback = cp1252_fallback
        self.newline = "\n".encode(name)
        self.unit = len(self.newline)
        self._seen_real_utf8 = False
        self.fallback_lines: list[int] = []
        self.fallback_count = 0

    def decode(self, number: int, raw: bytes) -> Line:
        """Decode one physical line; an undecodable one keeps a replacement-decoded text."""
        try:
            text = raw.decode(self.name)
        except UnicodeDecodeError as exc:
            return self._undecodable(number, raw, exc)
        except UnicodeError as exc:  # codecs such as idna fail without a byte position
            return Line(number, "", f"undecodable bytes: not valid {self.name.upper()} ({exc})")
        if self.cp1252_fallback and not self._seen_real_utf8 and not raw.isascii():
            self._seen_real_utf8 = True
        return Line(number, text)

    def saw_text(self, text: str) -> None:
        """Note lines decoded together (by the block) as :meth:`decode` notes each line."""
        if self.cp1252_fallback and not self._seen_real_utf8 and not text.isascii():
            self._seen_real_utf8 = True

    def _undecodable(self, number: int, raw: bytes, exc: UnicodeDecodeError) -> Line:
        bad = raw[exc.start : exc.start + 1].hex().upper()
        if self.cp1252_fallback and not self._seen_real_utf8:
            # Only while no line of the file has been real UTF-8: in a UTF-8 file a broken line
            # read as Windows-1252 would be screened as mojibake and could be cleared wrongly.
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError:
                reason = f"undecodable bytes: neither UTF-8 nor Windows-1252 (byte 0x{bad})"
            else:
                self.fallback_count += 1
                if len(self.fallback_lines) < _MAX_REPORTED_FALLBACK_LINES:
                    self.fallback_lines.append(number)
                return Line(number, text)
        else:
            reason = (
                f"undecodable bytes: not valid {self.name.upper()} "
                f"(byte 0x{bad} at byte {exc.start + 1} of the line)"
            )
        return Line(number, raw.decode(self.name, errors="replace"), reason)


def codec_for(head: bytes, forced: str | None) -> tuple[Codec, int]:
    """Pick the codec from a forced name or the byte-order mark; returns it and the BOM length."""
    if forced is not None:
        try:
            name = codecs.lookup(forced).name
        except LookupError:
            raise InputError(f"unknown encoding {forced!r} (--encoding)") from None
        if name == "utf-8-sig":
            name = "utf-8"
        if name in ("utf-16", "utf-32"):
            # The bare names mean "BOM decides"; without a BOM, Python assumes little-endian.
            for bom, bom_name, _ in _BOMS:
                if bom_name.startswith(name) and head.startswith(bom):
                    return Codec(bom_name, bom_name.upper(), cp1252_fallback=False), len(bom)
            name = f"{name}-le"
        if not _newline_ok(name):
            raise InputError(
                f"encoding {forced!r} is not supported: it is not a text encoding whose line "
                "break is a plain newline"
            )
        codec = Codec(name, name.upper(), cp1252_fallback=False)
        bom_len = (
            len(codecs.BOM_UTF8) if name == "utf-8" and head.startswith(codecs.BOM_UTF8) else 0
        )
        return codec, bom_len
    for bom, name, label in _BOMS:
        if head.startswith(bom):
            return Codec(name, label, cp1252_fallback=False), len(bom)
    return Codec("utf-8", "UTF-8", cp1252_fallback=True), 0


def _newline_ok(name: str) -> bool:
    """True when ``name`` is a text encoding whose newline is the byte 0x0A in its code unit."""
    try:
        newline = "\n".encode(name)
    except (UnicodeError, LookupError):  # LookupError: a bytes-to-bytes codec such as hex
        return False
    return newline in (b"\n", b"\n\x00", b"\x00\n", b"\n\x00\x00\x00", b"\x00\x00\x00\n")
