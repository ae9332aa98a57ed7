"""Exports read back (XLSX with openpyxl, DOCX with python-docx) and checked against the stored data."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from admin.demo_data import DemoWard
from admin.export import export
from domain.clock import FixedClock
from reports import digest, export_data, exports
from reports.export_data import Scope
from storage import org, pledges, reports
from storage.db import Database
from tests.test_digest import AUGUST, Seeded, seed
from texts import documents as td
from texts import exports as t
from texts.report import rate


@pytest.fixture
async def seeded(db: Database, clock: FixedClock, ward: DemoWard) -> Seeded:
    """The demo ward with August 2015 seeded."""
    return await seed(db, clock)


async def build(db: Database, scope: Scope, fmt: str) -> bytes:
    """Export August 2015 as of 10/09/2015."""
    async with db.begin() as conn:
        data = await export_data.gather(conn, scope, AUGUST, date(2015, 9, 10))
        return await exports.render(data, fmt)


@pytest.fixture
async def workbook(db: Database, seeded: Seeded):
    """The ward's August workbook, read back."""
    return load_workbook(BytesIO(await build(db, Scope(seeded.committee_id), exports.XLSX)))


# Two title lines and a blank row come above the header.
HEADER_ROW = 4


def rows_by_cell(sheet) -> dict[str, list[dict]]:
    """Return a sheet's rows as dicts keyed by header, grouped by cell."""
    headers = [c.value for c in sheet[HEADER_ROW]]
    grouped: dict[str, list[dict]] = {}
    for values in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        row = dict(zip(headers, values, strict=True))
        grouped.setdefault(row["Chi bộ"], []).append(row)
    return grouped


async def test_workbook_has_four_sheets_with_frozen_vietnamese_headers(workbook) -> None:
    """Reports, pledges, inspections and tasks each have a frozen row of Vietnamese headers."""
    assert workbook.sheetnames == [t.SHEET_REPORTS, t.SHEET_PLEDGES, t.SHEET_INSPECTIONS, t.SHEET_TASKS]
    for sheet in workbook:
        assert sheet.freeze_panes == "A5"
    assert [c.value for c in workbook[t.SHEET_REPORTS][HEADER_ROW]] == list(t.REPORT_HEADERS)
    assert workbook[t.SHEET_REPORTS].column_dimensions["A"].width >= len("Chi bộ trường mầm non Phúc Lợi")


async def test_report_rows_match_the_stored_reports(workbook, db: Database, seeded: Seeded) -> None:
    """Chi bộ 12's row has the stored meeting date as a date, counts and absentees; 14's its amendment."""
    rows = rows_by_cell(workbook[t.SHEET_REPORTS])
    async with db.begin() as conn:
        stored = await reports.get_report(
            conn, (await reports.list_reports(conn, seeded.cells["Chi bộ 12"]))[0].id
        )
    row = rows["Chi bộ 12"][0]
    assert row["Tình trạng"] == "Đúng hạn"
    assert isinstance(row["Ngày họp"], datetime) and row["Ngày họp"].date() == stored.content.meeting_date
    assert workbook[t.SHEET_REPORTS]["G5"].number_format == "DD/MM/YYYY"
    counts = stored.content.counts
    assert (row["Tổng số đảng viên"], row["Có mặt"], row["Vắng không lý do"]) == (
        counts.total,
        counts.present,
        2,
    )
    absent = [stored.names[e.member_id] for e in stored.absent("absent_without_reason")]
    assert row["Người vắng không lý do"] == "; ".join(absent)
    assert row["Chủ trì"] == stored.names[stored.content.chair_member_id]
    assert rows["Chi bộ 14"][0]["Tình trạng"] == "Nộp muộn" and rows["Chi bộ 14"][0]["Số lần sửa"] == 1


async def test_missing_month_has_a_row_of_its_own(workbook) -> None:
    """The cell that filed nothing still has its August row, marked missing, with the deadline."""
    row = rows_by_cell(workbook[t.SHEET_REPORTS])["Chi bộ cơ quan phường"][0]
    assert row["Tình trạng"] == "Chưa nộp" and row["Hạn nộp"].date() == date(2015, 9, 5)
    assert row["Ngày họp"] is None


async def test_pledge_rows_list_items_and_members_without_pledge(workbook, ward) -> None:
    """Every member appears; the vague item is marked vague and overdue, the done one done."""
    rows = rows_by_cell(workbook[t.SHEET_PLEDGES])["Chi bộ 12"]
    assert len(rows) == len(ward.cells[0].members)
    vague = next(r for r in rows if r["Việc làm"] == "Phấn đấu hoàn thành tốt nhiệm vụ")
    assert (vague["Mức cụ thể"], vague["Quá hạn"], vague["Thời hạn"].date()) == (
        "Chung chung",
        "Có",
        date(2015, 8, 31),
    )
    done = next(r for r in rows if r["Việc làm"] == "Viết 2 bài tuyên truyền")
    assert done["Tiến độ"] == "Hoàn thành"
    assert sum(1 for r in rows if r["Mức cụ thể"] == "Chưa đăng ký") == len(rows) - 2


async def test_each_sheet_has_its_title_and_period_above_the_header(workbook) -> None:
    """The title names the ward, the second line the period and the day the figures stand at."""
    sheet = workbook[t.SHEET_REPORTS]
    assert sheet["A1"].value == "BẢNG TỔNG HỢP BÁO CÁO SINH HOẠT CHI BỘ — ĐẢNG BỘ PHƯỜNG PHÚC LỢI"
    assert sheet["A2"].value == "Kỳ báo cáo: tháng 8/2015 (số liệu đến ngày 10/09/2015)"
    assert workbook[t.SHEET_PLEDGES]["A1"].value.startswith("BẢNG TỔNG HỢP ĐĂNG KÝ HỌC TẬP VÀ LÀM THEO")


async def test_pledge_progress_says_what_the_chat_says(workbook) -> None:
    """Items never updated read «Chưa thực hiện», the chat's word, never «Chưa bắt đầu»."""
    rows = rows_by_cell(workbook[t.SHEET_PLEDGES])["Chi bộ 12"]
    vague = next(r for r in rows if r["Việc làm"] == "Phấn đấu hoàn thành tốt nhiệm vụ")
    assert vague["Tiến độ"] == "Chưa thực hiện"


async def test_evidence_given_with_progress_is_exported(db: Database, seeded: Seeded) -> None:
    """A photo and a written description given in /capnhat appear under the item, with their days."""
    async with db.begin() as conn:
        roster = await org.list_members(conn, seeded.cells["Chi bộ 12"])
        items = await pledges.member_items(conn, roster[0].id, 2015)
        item = next(i for i in items if i.action == "Viết 2 bài tuyên truyền")
        for day, kind, text, name in (
            (date(2015, 8, 10), "photo", None, None),
            (date(2015, 8, 20), "text", "Bài đăng trên bản tin phường số 8", None),
        ):
            await pledges.add_update(
                conn,
                item_id=item.id,
                status="done",
                note=None,
                evidence_text=text,
                evidence_kind=kind,
                evidence_ref="ref" if kind == "photo" else None,
                evidence_name=name,
                today=day,
                now=datetime(2015, 9, 1, tzinfo=UTC),
                person_id=None,
            )
    book = load_workbook(BytesIO(await build(db, Scope(seeded.committee_id), exports.XLSX)))
    rows = rows_by_cell(book[t.SHEET_PLEDGES])["Chi bộ 12"]
    done = next(r for r in rows if r["Việc làm"] == "Viết 2 bài tuyên truyền")
    assert done["Minh chứng đã nộp"] == (
        "10/08/2015: ảnh đính kèm\n20/08/2015: Bài đăng trên bản tin phường số 8"
    )


async def test_inspections_and_tasks(workbook) -> None:
    """August's concluded inspection of Chi bộ 14 and its two tasks, the one past its deadline overdue."""
    inspection = rows_by_cell(workbook[t.SHEET_INSPECTIONS])["Chi bộ 14"][0]
    assert inspection["Tình trạng"] == "Đã kết luận" and inspection["Ngày làm việc"].date() == date(
        2015, 8, 15
    )
    tasks = rows_by_cell(workbook[t.SHEET_TASKS])["Chi bộ 14"]
    assert [(r["Nhiệm vụ"], r["Quá hạn"]) for r in tasks] == [
        ("Bổ sung sổ ghi biên bản", "Có"),
        ("Cụ thể hóa đăng ký", None),
    ]


async def test_cell_export_holds_only_that_cell(db: Database, seeded: Seeded) -> None:
    """A cell's workbook has no other cell's rows."""
    book = load_workbook(
        BytesIO(await build(db, Scope(seeded.committee_id, seeded.cells["Chi bộ 12"]), exports.XLSX))
    )
    for sheet in book:
        assert set(rows_by_cell(sheet)) <= {"Chi bộ 12"}


def paragraphs(document) -> list[str]:
    """Return every paragraph's text, tables included."""
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [p.text for p in cell.paragraphs]
    return found


async def docx_text(db: Database, scope: Scope) -> list[str]:
    """Return the non-empty paragraphs of a scope's August report, tables included."""
    return [p for p in paragraphs(Document(BytesIO(await build(db, scope, exports.DOCX)))) if p]


async def test_docx_is_a4_with_the_guidance_margins(db: Database, seeded: Seeded) -> None:
    """A4, 20 mm top and bottom, 30 mm left, 15 mm right; the first page carries no page number."""
    section = Document(BytesIO(await build(db, Scope(seeded.committee_id), exports.DOCX))).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    assert section.different_first_page_header_footer


async def test_ward_docx_heading_address_and_signature(db: Database, seeded: Seeded) -> None:
    """Superior body, the ward's committee, star, number; the Party, place and date; signer from settings."""
    text = await docx_text(db, Scope(seeded.committee_id))
    heading = [
        "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI",
        "ĐẢNG ỦY PHƯỜNG PHÚC LỢI",
        "*",
        td.NUMBER_WARD,
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Phúc Lợi, ngày 10 tháng 9 năm 2015",
    ]
    assert [line for line in text if line in heading] == heading
    assert "Kính gửi: Ban Thường vụ Thành ủy Hà Nội" in text
    assert text.index("Nơi nhận:") < text.index("T/M ĐẢNG ỦY") < text.index("Nguyễn Đức Thuận")


async def test_ward_docx_says_the_figures_in_sentences(db: Database, seeded: Seeded) -> None:
    """3 of 4 cells met; the rate and the unexcused absences are the digest's; the missing cell is named."""
    async with db.begin() as conn:
        ward = await digest.gather(conn, seeded.committee_id, AUGUST, date(2015, 9, 10))
    present, expected = sum(c.present for c in ward.cells), sum(c.expected for c in ward.cells)
    text = await docx_text(db, Scope(seeded.committee_id))
    assert (
        "Trong tháng 8/2015, 3/4 chi bộ tổ chức sinh hoạt và gửi báo cáo (2 đúng hạn, 1 nộp muộn); "
        f"tỷ lệ đảng viên dự họp bình quân {rate(present / expected)}; 2 lượt đảng viên vắng không lý do."
    ) in text[text.index("I. KẾT QUẢ THỰC HIỆN") + 1]
    assert any(
        p.startswith("Chi bộ cơ quan phường: chưa gửi báo cáo sinh hoạt tháng 8/2015 (hạn 05/09/2015)")
        for p in text
    )
    body = text[: text.index("PHỤ LỤC")]
    assert not any(re.search(r"\b0/0\b", p) or "xong" in p or "—" in p for p in body)


async def test_cell_docx_is_addressed_upward_and_speaks_of_chi_bo_ta(db: Database, seeded: Seeded) -> None:
    """Chi bộ 12's report: under its ward, to the ward's committee, about itself, signed by its secretary."""
    text = await docx_text(db, Scope(seeded.committee_id, seeded.cells["Chi bộ 12"]))
    heading = ["ĐẢNG BỘ PHƯỜNG PHÚC LỢI", "CHI BỘ 12", "*", td.NUMBER_CELL, "ĐẢNG CỘNG SẢN VIỆT NAM"]
    assert [line for line in text if line in heading] == heading
    assert "Kính gửi: Đảng ủy phường Phúc Lợi" in text
    assert "tỷ lệ đảng viên dự họp 93,3%; 2 lượt đảng viên vắng không lý do." in "\n".join(text)
    assert not any("Đề nghị các chi bộ" in p or p.startswith("Chi bộ 14") for p in text)
    assert text.index("T/M CHI BỘ") < text.index("Nguyễn Văn Tài")


async def test_cell_docx_meetings_table_agrees_with_the_xlsx(db: Database, seeded: Seeded) -> None:
    """The appendix row of Chi bộ 12's meeting gives the same present, expected and rate as the workbook."""
    scope = Scope(seeded.committee_id, seeded.cells["Chi bộ 12"])
    document = Document(BytesIO(await build(db, scope, exports.DOCX)))
    meetings = next(table for table in document.tables if table.rows[0].cells[0].text == "Tháng")
    row = [c.text for c in meetings.rows[1].cells]
    sheet = rows_by_cell(load_workbook(BytesIO(await build(db, scope, exports.XLSX)))[t.SHEET_REPORTS])
    xlsx = sheet["Chi bộ 12"][0]
    assert row[3] == f"{xlsx['Có mặt']}/{xlsx['Tổng số đảng viên'] - xlsx['Miễn sinh hoạt']}"
    assert row[4] == rate(xlsx["Tỷ lệ dự họp"]) and row[6] == str(xlsx["Vắng không lý do"])


async def test_command_line_writes_the_file(
    db: Database, clock: FixedClock, seeded: Seeded, tmp_path: Path
) -> None:
    """`export --format xlsx --period 8/2015 --cell "Chi bộ 12"` writes the cell's workbook and names it."""
    lines = await export(db, clock, exports.XLSX, "8/2015", "Chi bộ 12", None, tmp_path)
    path = tmp_path / "chi-bo-12-2015-08.xlsx"
    assert lines == [t.written(str(path))]
    assert load_workbook(path)[t.SHEET_REPORTS]["A5"].value == "Chi bộ 12"
