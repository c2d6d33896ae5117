"""screen.frames.screen_frame: the batch's statuses, order, error rows, filters and audit on a
pandas DataFrame, and the same answers as ``screen batch`` on the same rows."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")

from batch_helpers import REPO, write_subset_release  # noqa: E402

from screen.batch.output import PARTY_COLUMNS  # noqa: E402
from screen.batch.run import BatchOptions, run_batch  # noqa: E402
from screen.frames import AUDIT_ATTR, FrameError, audit_of, screen_frame  # noqa: E402
from screen.release.models import SourceList  # noqa: E402
from screen.release.store import load_release  # noqa: E402
from screen.screener import Screener  # noqa: E402

MAHAN = "SDN-12927"
ZHIPU = "EL-2025-beijing-zhipu-huazhang-technology-co-ltd"


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_subset_release(tmp_path_factory.mktemp("release"))


@pytest.fixture(scope="module")
def screener(release_dir: Path) -> Screener:
    """A real screener on five entries of the shipped release."""
    return Screener(load_release(release_dir))


def _customers() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "id": [10, 11, 12, 13, 14, 15, 16, 17, 18],
            "name": [
                "Mahan Air",
                None,
                float("nan"),
                "   ",
                "x" * 1001,
                "Ordinary Bakery Ltd",
                "Beijing Zhipu Huazhang Technology Co Ltd",
                "Mahan Air",
                b"Bad \x81 byte",
            ],
            "country": ["IR", "DE", "FR", "FR", "US", "GB", "CN", "Iran", None],
        },
        index=["a", "b", "c", "d", "e", "f", "g", "h", "a"],  # labels kept, even repeated
    )
    frame.attrs["source"] = "crm export"
    return frame


def test_every_row_in_order_with_status_and_reason(screener: Screener) -> None:
    df = _customers()
    before = df.copy()
    out = screen_frame(df, name_column="name", country_column="country", screener=screener)
    assert list(out.columns) == ["id", "name", "country", *PARTY_COLUMNS]
    assert list(out.index) == list(df.index)
    pd.testing.assert_frame_equal(out[["id", "name", "country"]], before)
    pd.testing.assert_frame_equal(df, before)  # the caller's frame is left as it was
    assert list(out["screen_line"]) == list(range(1, 10))
    assert list(out["screen_status"]) == [
        "hit", "error", "error", "error", "error", "clear", "hit", "error", "error",
    ]
    assert list(out["screen_reason"].fillna("")) == [
        "",
        "row 2: empty name in column 'name'",
        "row 3: empty name in column 'name'",
        "row 4: empty name in column 'name'",
        "row 5: name in column 'name' is 1,001 characters long (the limit is 1,000)",
        "",
        "",
        "row 8: country 'Iran' is not an ISO 3166-1 alpha-2 code such as CN or DE "
        "(column 'country')",
        "row 9: undecodable bytes in column 'name': not valid UTF-8 (byte 0x81 at byte 5 of "
        "the cell)",
    ]
    assert list(out["screen_entry_id"].fillna("")) == [MAHAN, "", "", "", "", "", ZHIPU, "", ""]
    hit = out.iloc[0]
    assert hit["screen_list"] == "SDN" and hit["screen_matched_name"] == "MAHAN AIR"
    assert hit["screen_hits"] == 1 and hit["screen_score"] >= 80 and hit["screen_explanation"]
    assert out.iloc[5]["screen_hits"] == 0 and pd.isna(out.iloc[5]["screen_score"])
    assert out["screen_hits"].isna().tolist() == [s == "error" for s in out["screen_status"]]
    assert str(out["screen_line"].dtype) == "Int64" and str(out["screen_score"].dtype) == "Float64"
    assert isinstance(out["screen_status"].dtype, pd.StringDtype)


def test_filters_lists_country_and_threshold(screener: Screener) -> None:
    df = pd.DataFrame(
        {
            "name": ["Mahan Air", "Beijing Zhipu Huazhang Technolgy Co Ltd", "Mahan Air"],
            "cc": ["IR", "CN", "DE"],
        }
    )
    plain = screen_frame(df, screener=screener)
    assert list(plain["screen_status"]) == ["hit", "hit", "hit"]
    by_country = screen_frame(df, country_column="cc", screener=screener)
    assert list(by_country["screen_status"]) == ["hit", "hit", "clear"]
    only_el = screen_frame(df, lists=["el"], screener=screener)
    assert list(only_el["screen_status"]) == ["clear", "hit", "clear"]
    assert audit_of(only_el)["options"]["lists"] == ["EL"]
    only_sdn = screen_frame(df, lists="SDN", screener=screener)
    assert list(only_sdn["screen_status"]) == ["hit", "clear", "hit"]
    zhipu_score = float(plain.iloc[1]["screen_score"])
    assert zhipu_score < 100
    strict = screen_frame(df, threshold=zhipu_score + 0.1, screener=screener)
    assert list(strict["screen_status"]) == ["hit", "clear", "hit"]
    assert audit_of(strict)["threshold"] == zhipu_score + 0.1


def test_audit_block_is_the_batch_audit_block(tmp_path: Path, screener: Screener) -> None:
    df = _customers().drop(columns=["name"]).assign(name=["Mahan Air"] * 9)
    out = screen_frame(
        df, name_column="name", country_column="country", lists=["SDN"], threshold=85,
        screener=screener,
    )
    source = tmp_path / "in.csv"
    df.to_csv(source, index=False)
    options = BatchOptions(
        name_column="name", country_column="country", lists=(SourceList.SDN,), threshold=85.0,
        workers=1,
    )
    summary = run_batch(source, tmp_path / "out.csv", screener, options)
    assert out.attrs[AUDIT_ATTR] == summary.audit == audit_of(out)
    assert out.attrs["source"] == "crm export"  # the caller's attrs stay
    audit = summary.audit
    assert audit["release_version"] == "subset-1" and len(audit["release_checksum"]) == 64
    assert audit["threshold"] == 85.0 and audit["options"]["country_column"] == "country"
    with pytest.raises(FrameError, match="no screen audit block"):
        audit_of(df)


def test_same_answers_as_screen_batch_on_the_same_rows(tmp_path: Path, screener: Screener) -> None:
    """Every result cell of a frame equals the CSV cell ``screen batch`` writes for that row
    (a CSV's line N is the frame's row N - 1: the header is line 1)."""
    rows = [
        ["1", "Mahan Air", "IR"],
        ["2", "", "DE"],
        ["3", "Ordinary Bakery Ltd", "GB"],
        ["4", "Beijing Zhipu Huazhang Tech Co Ltd", "CN"],
        ["5", "Prigozhin Yevgeniy", ""],
        ["6", "Mahan Air", "XYZ"],
        ["7", "VTB Bank PJSC", "RU"],
        ["8", "Izzat Ibrahim al-Duri", "IQ"],
        ["9", "y" * 1200, "US"],
    ]
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["id", "customer", "country"], *rows])
    out_csv = tmp_path / "out.csv"
    run_batch(source, out_csv, screener, BatchOptions(country_column="country", workers=1))
    with out_csv.open(encoding="utf-8", newline="") as handle:
        batch = list(csv.DictReader(handle))
    df = pd.DataFrame(rows, columns=["id", "customer", "country"])
    frame = screen_frame(df, country_column="country", screener=screener)
    assert len(batch) == len(frame) == len(rows)
    statuses = set()
    for line, (_, got) in zip(batch, frame.iterrows(), strict=True):
        statuses.add(line["screen_status"])
        assert int(line["screen_line"]) == got["screen_line"] + 1
        for column in PARTY_COLUMNS[1:]:
            value = got[column]
            cell = "" if pd.isna(value) else str(value)
            if column == "screen_score" and cell:
                cell = f"{value:.1f}"
            if column == "screen_reason":
                cell = re.sub(r"^row (\d+)", lambda m: f"line {int(m[1]) + 1}", cell)
            assert cell == line[column], (column, line)
    assert statuses == {"hit", "clear", "error"}


def test_name_column_is_detected_as_the_batch_detects_it(screener: Screener) -> None:
    df = pd.DataFrame({"ref": ["A1"], "Company Name": ["Mahan Air"]})
    out = screen_frame(df, screener=screener)
    assert out.iloc[0]["screen_status"] == "hit"
    assert audit_of(out)["options"]["name_column"] == "Company Name"
    numbered = screen_frame(
        pd.DataFrame({0: ["x"], 1: ["Mahan Air"]}), name_column="2", screener=screener
    )
    assert numbered.iloc[0]["screen_status"] == "hit"


def test_options_that_do_not_fit_the_frame_fail_at_once(screener: Screener) -> None:
    df = pd.DataFrame({"name": ["Mahan Air"]})
    with pytest.raises(FrameError, match=r"name_column: no column 'nom'"):
        screen_frame(df, name_column="nom", screener=screener)
    with pytest.raises(FrameError, match=r"country_column: no column 'cc'"):
        screen_frame(df, country_column="cc", screener=screener)
    with pytest.raises(FrameError, match="unknown list 'XX'"):
        screen_frame(df, lists=["XX"], screener=screener)
    with pytest.raises(FrameError, match="lists is empty"):
        screen_frame(df, lists=[], screener=screener)
    for bad in (0, 101, float("nan"), "high"):
        with pytest.raises(FrameError, match="threshold"):
            screen_frame(df, threshold=bad, screener=screener)  # type: ignore[arg-type]
    screened = screen_frame(df, screener=screener)
    with pytest.raises(FrameError, match="already has result columns"):
        screen_frame(screened, screener=screener)
    with pytest.raises(FrameError, match="no columns"):
        screen_frame(pd.DataFrame(), screener=screener)


def test_an_empty_frame_gets_the_columns_and_the_audit(screener: Screener) -> None:
    out = screen_frame(pd.DataFrame({"name": pd.Series([], dtype="string")}), screener=screener)
    assert list(out.columns) == ["name", *PARTY_COLUMNS] and len(out) == 0
    assert audit_of(out)["release_version"] == "subset-1"


def test_the_core_never_imports_pandas_pyarrow_or_dask(tmp_path: Path, release_dir: Path) -> None:
    """``screen batch`` on a CSV file, the screener and the CLI run without the extras; and
    screen.frames says which extra to install when pandas is missing."""
    source = tmp_path / "in.csv"
    source.write_text("name\nMahan Air\n", encoding="utf-8")
    script = f"""
import sys
from screen.cli import main
code = main(["batch", {str(source)!r}, "-o", {str(tmp_path / "out.csv")!r},
             "--release", {str(release_dir)!r}, "-q"])
assert code == 1, code
loaded = sorted({{name.split(".")[0] for name in sys.modules}} & {{"pandas", "pyarrow", "dask"}})
print(loaded)
sys.modules["pandas"] = None  # as if pandas were not installed
try:
    from screen.frames import screen_frame
except ModuleNotFoundError as exc:
    print(exc)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "[]"
    assert lines[1] == (
        "screen.frames.screen_frame needs pandas, an optional extra: pip install 'screen[frames]'"
    )
    sidecar = json.loads((tmp_path / "out.csv.audit.json").read_text(encoding="utf-8"))
    assert sidecar["summary"]["hits"] == 1
