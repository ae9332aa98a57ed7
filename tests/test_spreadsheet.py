"""The streaming XLSX writer, read back with openpyxl as a spreadsheet program would open it."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

from openpyxl import load_workbook

from reports import spreadsheet
from reports.spreadsheet import Workbook


def written(sheets: dict[str, tuple[list[str], list[list[object]]]], title: str = "Báo cáo"):
    """Write sheets of headers and rows and open the file again."""
    out = BytesIO()
    book = Workbook(out, title)
    for name, (headers, rows) in sheets.items():
        sheet = book.add_sheet(name, headers)
        for row in rows:
            sheet.append(row)
    book.close()
    return load_workbook(BytesIO(out.getvalue()))


def test_values_keep_their_kind_and_their_column() -> None:
    """Text, numbers, yes/no, percentages, dates and times read back as written, empty cells in place."""
    row = [
        "Chi bộ 12 & <Tổ 3>",
        None,
        28,
        True,
        0.9333,
        date(2015, 8, 5),
        datetime(2015, 9, 10, 19, 30),
        None,
        "x",
    ]
    book = written({"Báo cáo": ([f"Cột {n}" for n in range(len(row))], [row])})
    sheet = book["Báo cáo"]
    values = [c.value for c in sheet[2]]
    assert values == [
        "Chi bộ 12 & <Tổ 3>",
        None,
        28,
        True,
        0.9333,
        datetime(2015, 8, 5),
        datetime(2015, 9, 10, 19, 30),
        None,
        "x",
    ]
    assert [sheet[f"{c}2"].number_format for c in "EFG"] == ["0.0%", "DD/MM/YYYY", "HH:MM DD/MM/YYYY"]


def test_text_keeps_its_lines_and_loses_characters_xml_cannot_hold() -> None:
    """A pasted review keeps its line breaks and leading spaces; stray control characters are dropped."""
    book = written({"S": (["Nội dung"], [["  Đã thu đảng phí.\nChưa xong:\x0b trồng cây."]])})
    assert book["S"]["A2"].value == "  Đã thu đảng phí.\nChưa xong: trồng cây."


def test_header_is_bold_frozen_and_filters_every_row() -> None:
    """The first row is bold, stays in view when scrolling, and its filter covers all rows."""
    rows = [[f"Chi bộ {n}", n] for n in range(1, 31)]
    sheet = written({"Danh sách": (["Chi bộ", "Số"], rows)})["Danh sách"]
    assert sheet["A1"].font.b and sheet["A1"].value == "Chi bộ"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B31"
    assert sheet.max_row == 31


def test_widths_follow_the_content_within_bounds() -> None:
    """A column is as wide as its longest text, never narrower than 8 nor wider than 50 characters."""
    rows = [["Chi bộ trường mầm non Phúc Lợi", 1, "x" * 200]]
    sheet = written({"S": (["Tên", "Số", "Ghi chú"], rows)})["S"]
    widths = [sheet.column_dimensions[c].width for c in "ABC"]
    assert widths == [len("Chi bộ trường mầm non Phúc Lợi") + 2, spreadsheet.MIN_WIDTH, spreadsheet.MAX_WIDTH]


def test_rows_beyond_the_width_sample_are_all_written() -> None:
    """A sheet longer than the rows held back for widths has every row, in order."""
    count = spreadsheet.WIDTH_SAMPLE + spreadsheet.ROWS_PER_WRITE + 7
    sheet = written({"S": (["Số"], [[n] for n in range(count)])})["S"]
    assert [c.value for c in sheet["A"][1:]] == list(range(count))


def test_sheets_are_in_order_with_the_title() -> None:
    """Several sheets keep their order and names, an apostrophe included, and the file its title."""
    book = written(
        {"Báo cáo": (["A"], [[1]]), "Đăng ký": (["B"], []), "Đợt 'một'": (["C"], [[2]])}, title="Tổng hợp"
    )
    assert book.sheetnames == ["Báo cáo", "Đăng ký", "Đợt 'một'"]
    assert book["Đăng ký"].max_row == 1 and book["Đợt 'một'"]["A2"].value == 2
    assert book.properties.title == "Tổng hợp"


def test_title_lines_sit_above_the_frozen_filtered_header() -> None:
    """Two title lines, a blank row, then the header row, which is frozen and filtered; data below it."""
    out = BytesIO()
    book = Workbook(out, "Báo cáo")
    sheet = book.add_sheet("S", ["Chi bộ", "Tháng"], titles=["BÁO CÁO SINH HOẠT", "Tháng 8/2015"])
    sheet.append(["Chi bộ 12", "8/2015"])
    book.close()
    read = load_workbook(BytesIO(out.getvalue()))["S"]
    assert [read["A1"].value, read["A2"].value, read["A3"].value] == [
        "BÁO CÁO SINH HOẠT",
        "Tháng 8/2015",
        None,
    ]
    assert [c.value for c in read[4]] == ["Chi bộ", "Tháng"] and read["A5"].value == "Chi bộ 12"
    assert read.freeze_panes == "A5" and read.auto_filter.ref == "A4:B5"
