"""The Word documents as a ward office sees them: converted by LibreOffice, read back with poppler."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.document_samples import SAMPLES, soffice, to_pdf, write_samples

pytestmark = pytest.mark.skipif(
    soffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler are not installed (Debian: libreoffice-writer-nogui poppler-utils)",
)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Write the three documents and convert them to PDF in one LibreOffice run."""
    out = tmp_path_factory.mktemp("documents")
    docx = asyncio.run(write_samples(out))
    return dict(zip(SAMPLES, to_pdf([docx[name] for name in SAMPLES], out), strict=True))


def info(pdf: Path) -> dict[str, str]:
    """Return pdfinfo's fields."""
    output = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {
        key.strip(): value.strip() for key, _, value in (line.partition(":") for line in output.splitlines())
    }


def page_text(pdf: Path, page: int | None = None) -> list[str]:
    """Return the non-empty lines pdftotext reads, of one page or all."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    output = subprocess.run(
        ["pdftotext", *pages, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [line.strip() for line in output.splitlines() if line.strip()]


def in_order(lines: list[str], expected: list[str]) -> bool:
    """Tell whether each expected line occurs in this order (a long one may share its line with another)."""
    position = 0
    for wanted in expected:
        found = [
            i
            for i in range(position, len(lines))
            if lines[i] == wanted or (len(wanted) > 3 and wanted in lines[i])
        ]
        if not found:
            return False
        position = found[0] + 1
    return True


@pytest.mark.parametrize("name", SAMPLES)
def test_every_document_is_a4(pdfs: dict[str, Path], name: str) -> None:
    """LibreOffice lays each document out on A4 paper."""
    assert "(A4)" in info(pdfs[name])["Page size"]


def test_page_counts(pdfs: dict[str, Path]) -> None:
    """The reports have their body and an appendix page; the minutes fit on two pages."""
    assert [int(info(pdfs[name])["Pages"]) for name in SAMPLES] == [3, 3, 2]


def test_pages_are_numbered_from_the_second(pdfs: dict[str, Path]) -> None:
    """The first page has no number; the second starts with «2»."""
    report = pdfs["bao-cao-dang-uy"]
    assert page_text(report, 1)[0] != "1" and page_text(report, 2)[0] == "2"


def test_ward_report_heading_in_order(pdfs: dict[str, Path]) -> None:
    """Superior body, the ward's committee, star, number; the Party, place and date; title and address."""
    lines = page_text(pdfs["bao-cao-dang-uy"], 1)
    assert in_order(
        lines,
        [
            "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI",
            "ĐẢNG ỦY PHƯỜNG PHÚC LỢI",
            "*",
            "BÁO CÁO",
            "Kính gửi: Ban Thường vụ Thành ủy Hà Nội",
        ],
    )
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in lines and "Phúc Lợi, ngày 10 tháng 9 năm 2015" in lines


def test_cell_report_heading_in_order(pdfs: dict[str, Path]) -> None:
    """The ward's committee above Chi bộ 12, addressed to the ward's committee."""
    lines = page_text(pdfs["bao-cao-chi-bo"], 1)
    assert in_order(
        lines,
        [
            "ĐẢNG BỘ PHƯỜNG PHÚC LỢI",
            "CHI BỘ 12",
            "*",
            "-BC/CB",
            "BÁO CÁO",
            "Kính gửi: Đảng ủy phường Phúc Lợi",
        ],
    )


def test_minutes_heading_and_closing(pdfs: dict[str, Path]) -> None:
    """The minutes open with the cell's heading and close with the end time and both signatures."""
    lines = page_text(pdfs["bien-ban"])
    assert in_order(lines, ["ĐẢNG BỘ PHƯỜNG PHÚC LỢI", "CHI BỘ 12", "*", "BIÊN BẢN"])
    text = " ".join(lines)
    assert "Buổi sinh hoạt kết thúc lúc 21 giờ 30 phút cùng ngày." in text
    assert re.search(r"THƯ KÝ\s+CHỦ TRÌ", text)


def figures(lines: list[str]) -> dict[str, list[str]]:
    """Return the figures a report's text gives for the rate and the unexcused absences."""
    text = " ".join(lines)
    return {
        "rate": re.findall(r"dự họp(?: bình quân)? (\d+(?:,\d)?%)", text),
        "unexcused": re.findall(r"(\d+) lượt đảng viên vắng không lý do", text),
    }


def test_cell_report_figures_agree_with_each_other_and_the_minutes(pdfs: dict[str, Path]) -> None:
    """Chi bộ 12's rate and absences say the same in the body, the appendix and the minutes."""
    report = page_text(pdfs["bao-cao-chi-bo"])
    found = figures(report)
    assert set(found["rate"]) == {"93,3%"} and set(found["unexcused"]) == {"2"}
    minutes = " ".join(page_text(pdfs["bien-ban"]))
    assert "- Có mặt: 28 đồng chí (đạt 93,3%)." in minutes and "- Vắng không lý do: 2 đồng chí" in minutes
    appendix = " ".join(report[report.index("PHỤ LỤC") :])
    assert "28/30" in appendix and "93,3%" in appendix
