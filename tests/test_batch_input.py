"""Reading party files: decoding, broken records, line numbers and record accounting."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screen.batch import lines as batch_lines
from screen.batch.input import MAX_RECORD_CHARS, InputError, Record, open_input


def read(
    tmp_path: Path, data: bytes, **kwargs: str
) -> tuple[tuple[str, ...], list[Record], object]:
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    reader = open_input(path, **kwargs)  # type: ignore[arg-type]
    with reader:
        records = list(reader.records())
    return reader.header, records, reader


def test_plain_utf8_records_keep_order_and_line_numbers(tmp_path: Path) -> None:
    header, records, _ = read(
        tmp_path, b"name,country\nAcme GmbH,DE\n\xe5\x8c\x97\xe4\xba\xac,CN\n"
    )
    assert header == ("name", "country")
    assert [(r.line, r.fields, r.error) for r in records] == [
        (2, ("Acme GmbH", "DE"), None),
        (3, ("北京", "CN"), None),
    ]


def test_crlf_and_missing_final_newline(tmp_path: Path) -> None:
    _, records, _ = read(tmp_path, b"name,country\r\nA,US\r\nB,FR")
    assert [(r.line, r.fields) for r in records] == [(2, ("A", "US")), (3, ("B", "FR"))]


def test_wrong_field_count_is_an_error_record_with_its_line(tmp_path: Path) -> None:
    _, records, _ = read(tmp_path, b"name,country\nA,US\nB,FR,extra\nC\nD,DE\n")
    assert [r.error for r in records] == [
        None,
        "line 3: 3 fields where the header has 2",
        "line 4: 1 fields where the header has 2",
        None,
    ]
    assert records[1].fields == ("B", "FR", "extra")


def test_quoted_field_spanning_lines_keeps_later_line_numbers(tmp_path: Path) -> None:
    _, records, _ = read(tmp_path, b'name,address\n"Acme","1 Road\nTown"\nNext,X\n')
    assert [(r.line, r.end_line) for r in records] == [(2, 3), (4, 4)]
    assert records[0].fields == ("Acme", "1 Road\nTown")


def test_undecodable_line_in_utf8_file_is_one_error(tmp_path: Path) -> None:
    data = "name,c\nMüller,DE\n".encode() + b"bad \xff\xfe name,DE\nok,US\n"
    _, records, reader = read(tmp_path, data)
    assert records[0].error is None
    assert records[1].line == 3
    assert records[1].error is not None
    assert records[1].error.startswith("line 3: undecodable bytes: not valid UTF-8 (byte 0xFF")
    assert records[2].fields == ("ok", "US") and records[2].error is None
    assert reader.fallback_count == 0  # type: ignore[attr-defined]


def test_windows_1252_fallback_is_reported_by_line(tmp_path: Path) -> None:
    data = "name,c\nplain,DE\nMüller,DE\nx,y\nSão Paulo Ltda,BR\n".encode("cp1252")
    _, records, reader = read(tmp_path, data)
    assert [r.fields[0] for r in records] == ["plain", "Müller", "x", "São Paulo Ltda"]
    assert all(r.error is None for r in records)
    assert reader.fallback_lines == (3, 5)  # type: ignore[attr-defined]


def test_bytes_invalid_in_utf8_and_windows_1252_are_an_error(tmp_path: Path) -> None:
    _, records, _ = read(tmp_path, b"name,c\nbad\x81name,DE\n")
    assert (
        records[0].error == "line 2: undecodable bytes: neither UTF-8 nor Windows-1252 (byte 0x81)"
    )


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_byte_order_marks(tmp_path: Path, bom: bytes, encoding: str) -> None:
    text = "name,country\nБанк ВТБ (ПАО),RU\n北京智谱华章科技有限公司,CN\n"
    header, records, reader = read(tmp_path, bom + text.encode(encoding))
    assert header == ("name", "country")
    assert [r.fields[0] for r in records] == ["Банк ВТБ (ПАО)", "北京智谱华章科技有限公司"]
    assert "byte-order mark" in reader.encoding_label  # type: ignore[attr-defined]


def test_utf16_line_split_only_on_code_unit_boundaries(tmp_path: Path) -> None:
    # U+0A0D and U+0D0A contain the bytes 0x0A/0x0D off a character boundary.
    text = "name\n\u0a0d\u0d0a\u0a00x\nB\n"
    _, records, _ = read(tmp_path, codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert [r.fields for r in records] == [("\u0a0d\u0d0a\u0a00x",), ("B",)]


def test_forced_encoding(tmp_path: Path) -> None:
    data = "name\nKöln AG\n".encode("utf-16-le")
    _, records, _ = read(tmp_path, data, encoding="utf-16-le")
    assert records[0].fields == ("Köln AG",)
    _, records, _ = read(tmp_path, "name\nŁódź\n".encode("iso-8859-2"), encoding="iso-8859-2")
    assert records[0].fields == ("Łódź",)


def test_forced_encoding_errors_are_records(tmp_path: Path) -> None:
    _, records, _ = read(tmp_path, b"name\nM\xfcller\nok\n", encoding="utf-8")
    assert records[0].error is not None and records[0].error.startswith("line 2: undecodable")
    assert records[1].fields == ("ok",)


def test_unknown_encoding_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        read(tmp_path, b"name\nA\n", encoding="klingon")


@pytest.mark.parametrize("encoding", ["rot13", "hex", "cp500", "punycode"])
def test_encodings_without_a_plain_newline_are_refused(tmp_path: Path, encoding: str) -> None:
    with pytest.raises(InputError, match="not supported"):
        read(tmp_path, b"name\nA\n", encoding=encoding)


def test_idna_decoding_errors_are_records(tmp_path: Path) -> None:
    _, records, _ = read(tmp_path, b"name\nxn--zz\nok\n", encoding="idna")
    assert records[1].fields == ("ok",)


def test_nul_byte_names_the_column(tmp_path: Path) -> None:
    _, records, _ = read(tmp_path, b"name,country\nA\x00B,US\nC,D\x00\n")
    assert [r.error for r in records] == [
        "line 2: NUL byte in column 'name'",
        "line 3: NUL byte in column 'country'",
    ]


def test_utf16_without_bom_gives_a_hint(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="utf-16-le"):
        read(tmp_path, "name\nA\n".encode("utf-16-le"))


def test_oversize_cell_is_one_error_and_reading_goes_on(tmp_path: Path) -> None:
    big = b"x" * 200_000
    _, records, _ = read(tmp_path, b"name,notes\nA," + big + b"\nB,ok\n")
    assert len(records) == 2
    assert records[0].line == 2
    assert records[0].error is not None and "record too long" in records[0].error
    assert records[1].fields == ("B", "ok") and records[1].line == 3


def test_oversize_cell_just_over_the_character_limit(tmp_path: Path) -> None:
    big = "é" * (MAX_RECORD_CHARS + 1)
    _, records, _ = read(tmp_path, f"name,notes\nA,{big}\nB,ok\n".encode())
    assert records[0].error is not None and "characters" in records[0].error
    assert records[1].fields == ("B", "ok")


def test_unclosed_quote_at_end_of_file(tmp_path: Path) -> None:
    _, records, _ = read(tmp_path, b'name,c\nA,US\n"Broken,US\nC,FR\n')
    assert [(r.line, r.error is None) for r in records] == [(2, True), (3, False), (4, True)]
    assert records[1].error == "line 3: a quoted field opens on this line and never closes"
    assert records[2].fields == ("C", "FR")


def test_runaway_quote_mid_file_recovers_later_lines(tmp_path: Path) -> None:
    lines = [b'"stray,US'] + [b"Name %d,US" % i for i in range(2000)]
    _, records, _ = read(tmp_path, b"name,c\n" + b"\n".join(lines) + b'\nlast,"DE"\n')
    assert records[0].line == 2 and records[0].error is not None
    assert "does not close" in records[0].error
    assert [r.line for r in records] == list(range(2, 2 + 2002))
    assert all(r.error is None for r in records[1:])


def test_blank_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    _, records, reader = read(tmp_path, b"\nname\n\nA\n\r\n\nB\n")
    assert [(r.line, r.fields) for r in records] == [(4, ("A",)), (7, ("B",))]
    assert reader.blank_lines == 4  # type: ignore[attr-defined]


def test_semicolon_delimiter_is_detected(tmp_path: Path) -> None:
    header, records, reader = read(tmp_path, b"name;country\nA, B;DE\n")
    assert header == ("name", "country") and records[0].fields == ("A, B", "DE")
    assert reader.delimiter == ";"  # type: ignore[attr-defined]


def test_header_only_has_no_records(tmp_path: Path) -> None:
    header, records, _ = read(tmp_path, b"name,country\n")
    assert header == ("name", "country") and records == []


@pytest.mark.parametrize("data", [b"", b"\n\n\r\n"])
def test_empty_file_is_an_input_error(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InputError, match="empty"):
        read(tmp_path, data)


def test_missing_file_and_directory_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        open_input(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="is a directory"):
        open_input(tmp_path)


def test_checksum_covers_the_whole_file(tmp_path: Path) -> None:
    import hashlib

    data = b"name\n" + b"A\n" * 100_000
    _, _, reader = read(tmp_path, data)
    assert reader.sha256 == hashlib.sha256(data).hexdigest()  # type: ignore[attr-defined]


def _physical_lines(data: bytes) -> int:
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


_ALPHABET = st.sampled_from(
    [
        b"a",
        b"B",
        b" ",
        b",",
        b";",
        b'"',
        b"\n",
        b"\r",
        b"\r\n",
        b"\x00",
        b"\xff",
        b"\xe9",
        b"\x81",
        "é".encode(),
        "北".encode(),
        b"x" * 50,
    ]
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.lists(_ALPHABET, max_size=60).map(b"".join), st.binary(max_size=300)))
def test_random_bytes_never_crash_and_every_line_is_accounted_for(
    tmp_path: Path, data: bytes
) -> None:
    """Every physical line is the header, a blank line, or part of exactly one record."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = b"a" + data  # the line count below assumes a one-byte encoding
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    try:
        reader = open_input(path)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    with reader:
        records = list(reader.records())
    covered = 0
    previous_end = reader.header_end_line
    for record in records:
        assert record.line > previous_end
        assert record.end_line >= record.line
        assert record.error is None or record.error.startswith(("line ", "lines "))
        if record.error is None:
            assert len(record.fields) == len(reader.header)
        covered += record.end_line - record.line + 1
        previous_end = record.end_line
    header_span = reader.header_end_line - reader.header_line + 1
    assert reader.blank_lines + header_span + covered == _physical_lines(data)


def test_carriage_return_inside_a_field_is_explained(tmp_path: Path) -> None:
    _, records, _ = read(tmp_path, b"name,c\nAc\rme,US\nok,DE\n")
    assert records[0].error is not None
    assert records[0].error.startswith("line 2: a carriage return (CR) inside an unquoted field")
    assert records[1].fields == ("ok", "DE")
    with pytest.raises(InputError, match="old Mac"):
        read(tmp_path, b"name\rAcme\rBeta\r")


def _read_both_ways(
    tmp_path: Path, data: bytes, monkeypatch: pytest.MonkeyPatch, block: int
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """What reading gives with lines taken a block at a time (``block`` bytes read at once)
    and one at a time, with everything a reader reports."""
    path = tmp_path / "both.csv"
    path.write_bytes(data)

    def outcome() -> list[tuple[object, ...]]:
        try:
            reader = open_input(path)
        except InputError as exc:
            return [("input error", str(exc))]
        with reader:
            records = [(r.line, r.end_line, r.fields, r.error) for r in reader.records()]
        return [
            *records,
            (reader.header, reader.blank_lines, reader.fallback_lines, reader.sha256),
        ]

    monkeypatch.setattr(batch_lines, "_READ_BLOCK", block)
    by_block = outcome()
    monkeypatch.setattr(batch_lines.LineSource, "take_block", lambda self: None)
    by_line = outcome()
    monkeypatch.undo()
    return by_block, by_line


_ROWS = [
    b"Acme GmbH,DE\n",
    b'"Tresoldi, Cociarelli e figli",IT\n',
    b'"a ""quoted"" name",US\n',
    b'"a name over\ntwo lines",GB\n',
    b"\n",
    b"\r\n",
    b"Beta Ltd,FR\r\n",
    b"only one field\n",
    b"three,fields,here\n",
    b"Ac\rme,US\n",
    b"nul\x00name,DE\n",
    b"M\xfcller,DE\n",
    b"\xe5\x8c\x97\xe4\xba\xac,CN\n",
    b'"never closed,US\n',
    b"x" * 300 + b",US\n",
]


@pytest.mark.parametrize("block", [7, 64, 1 << 16])
@pytest.mark.parametrize("seed", range(8))
def test_lines_read_by_block_give_what_lines_read_one_at_a_time_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, block: int
) -> None:
    rng = random.Random(seed)
    rows = [rng.choice(_ROWS) for _ in range(400)]
    if seed % 2:  # half the files have nothing the block reading leaves to the other
        rows = [row for row in rows if row in (_ROWS[0], _ROWS[1], _ROWS[2], _ROWS[4])]
    data = b"name,country\n" + b"".join(rows)
    if seed % 3 == 0:
        data = data.rstrip(b"\n")  # no final newline
    by_block, by_line = _read_both_ways(tmp_path, data, monkeypatch, block)
    assert by_block == by_line


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.lists(st.sampled_from(_ROWS) | _ALPHABET, max_size=80).map(b"".join),
    block=st.sampled_from([1, 5, 50, 1 << 16]),
)
def test_block_reading_agrees_on_random_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, block: int
) -> None:
    by_block, by_line = _read_both_ways(tmp_path, b"name,country\n" + data, monkeypatch, block)
    assert by_block == by_line


@pytest.mark.parametrize("utf8_before", [False, True])
def test_block_reading_stops_before_a_line_that_does_not_decode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, utf8_before: bool
) -> None:
    """Many good lines, then Windows-1252 ones: read as a fallback when no line before was
    real UTF-8, an error when one was; line numbers and fields as line by line."""
    good = b"".join(b"Acme %d Ltd,GB\n" % n for n in range(600))
    first = "Zürich AG,CH\n".encode() if utf8_before else b"Zurich AG,CH\n"
    data = b"name,country\n" + first + good + b"M\xfcller,DE\n" + good + b"Gesch\xe4ft,AT\n"
    by_block, by_line = _read_both_ways(tmp_path, data, monkeypatch, 1 << 16)
    assert by_block == by_line
    errors = [row for row in by_block[:-1] if row[3] is not None]
    assert len(errors) == (2 if utf8_before else 0)
    assert by_block[-1][2] == (() if utf8_before else (603, 1204))  # the fallback lines
