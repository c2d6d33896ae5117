"""``screen chip``: lookup and figures modes, JSON, exit codes and one-line errors."""

from __future__ import annotations

import json

import pytest

from screen.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["chip", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_chip_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "H20", "--as-of", "2025-05-01")
    assert code == 0 and err == ""
    assert out.startswith("NVIDIA H20 (HGX)")
    assert "Classification as of 2025-05-01: NOT 3A090" in out
    assert "TPP = 296 dense TOPS (FP8/INT8 tensor) x 8 bits = 2368" in out
    assert "88 FR 73458 (FR Doc 2023-23055)" in out
    assert "2025-04-09 license-requirement" in out
    assert (
        "https://www.sec.gov/Archives/edgar/data/1045810/000104581025000082/nvda-20250409.htm"
        in out
    )
    assert "inferred" in out


def test_chip_name_in_several_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "nvidia", "h100", "sxm5", "80gb", "--as-of", "2024-01-01")
    assert code == 0
    assert out.startswith("NVIDIA H100 SXM")
    assert "Classification as of 2024-01-01: 3A090.a" in out


def test_ambiguous_name_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "H100")
    assert code == 0
    assert "AMBIGUOUS: the text may also mean NVIDIA H100 PCIe (3A090.a)" in out


def test_as_of_2022_for_a800(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "A800", "--as-of", "2023-01-01")
    assert code == 0
    assert "Classification as of 2023-01-01: NOT 3A090" in out
    assert "87 FR 62186" in out
    assert "I/O GB/s 400 >= 600: no" in out


def test_figures_mode(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--tpp", "3000", "--die-area", "600", "--datacenter")
    assert code == 0
    assert "3A090.b" in out.splitlines()[0]
    assert "3A090.b.1  met" in out
    assert "NAC-eligible" in out


def test_figures_mode_not_datacenter(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--tpp", "4799.99", "--not-datacenter", "--as-of", "2024-01-01")
    assert code == 0
    assert "NOT 3A090" in out.splitlines()[0]
    assert "Note 2 to 3A090" in out


def test_figures_mode_insufficient(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--tpp", "2000", "--as-of", "2024-01-01")
    assert code == 0
    assert "INSUFFICIENT DATA" in out.splitlines()[0]
    assert "need performance_density (or die_area_mm2)" in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--tpp", "1600", "--performance-density", "5.92", "--json")
    assert code == 0
    result = json.loads(out)
    assert (result["eccn"], result["paragraph"]) == ("3A090.a", "3A090.a.2")
    code, out, _ = _run(capsys, "A100", "--json", "--as-of", "2024-01-01")
    match = json.loads(out)
    assert match["chip"]["name"] == "NVIDIA A100 (SXM/PCIe)"
    assert match["classification"]["eccn"] == "3A090.a"
    assert match["chip"]["sources"][0].startswith("https://www.nvidia.com/")


def test_hbm_mode(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--hbm-bandwidth", "819", "--hbm-area", "110")
    assert code == 0
    assert "HBM classification" in out and "3A090.c" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("H1OO",), "no known chip matches 'H1OO' (did you mean: NVIDIA H100 SXM"),
        (("steel",), "no known chip matches 'steel'"),
        ((), "give a chip name, or --tpp"),
        (("H20", "--tpp", "3000"), "not both"),
        (("--tpp", "abc"), "--tpp: not a number"),
        (("--tpp", "-5"), "--tpp: must be"),
        (("--tpp", "3000", "--as-of", "2024-13-01"), "--as-of: not a date"),
        (("--tpp", "3000", "--die-area", "600", "--performance-density", "9"), "not allowed"),
        (("--tpp", "3000", "--die-area", "0"), "die_area_mm2 must be positive"),
        (("--hbm-bandwidth", "800"), "give both --hbm-bandwidth and --hbm-area"),
    ],
)
def test_errors_are_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    try:
        code, out, err = _run(capsys, *argv)
    except SystemExit as exc:  # argparse's own usage errors (mutually exclusive options)
        code, err = int(exc.code or 0), capsys.readouterr().err
        out = ""
    assert code == 2
    assert out == ""
    assert message in err
    if "not allowed" not in message:
        assert err.count("\n") == 1
