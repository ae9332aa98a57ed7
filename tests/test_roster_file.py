"""Tests of roster-file parsing: CSV and XLSX, headers, values, and errors by line."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from reports.roster_file import (
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    RosterError,
    RosterParseResult,
    RosterRow,
    parse_roster,
)

TODAY = date(2015, 9, 5)
HEADER = "Họ và tên,Năm sinh,Loại,Miễn sinh hoạt,Ngày vào Đảng"
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _csv(*lines: str) -> bytes:
    """Join lines into UTF-8 CSV bytes."""
    return "\r\n".join(lines).encode("utf-8")


def _parse_csv(*lines: str) -> RosterParseResult:
    """Parse UTF-8 CSV lines as of TODAY."""
    return parse_roster(_csv(*lines), "danh_sach.csv", today=TODAY)


def _xlsx(rows: list[list[object]]) -> bytes:
    """Build an XLSX workbook whose first sheet holds the given rows."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cp1258(text: str) -> bytes:
    """Encode text the way Windows-1258 does: base letter, then a combining tone mark."""
    encoded = b""
    for char in unicodedata.normalize("NFC", text):
        marks = [c for c in unicodedata.normalize("NFD", char) if c in _TONE_MARKS]
        base = "".join(c for c in unicodedata.normalize("NFD", char) if c not in _TONE_MARKS)
        encoded += (unicodedata.normalize("NFC", base) + "".join(marks)).encode("cp1258")
    return encoded


def _single_error(result: RosterParseResult) -> RosterError:
    """Return the only error of a result that has no rows."""
    assert result.rows == ()
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def test_valid_csv_with_vietnamese_headers() -> None:
    """A CSV with Vietnamese headers and values gives one row per member."""
    result = _parse_csv(
        HEADER,
        "Nguyễn Văn An,1948,chính thức,có,03/02/1970",
        "Trần Thị Bình,1990,dự bị,,15/05/2015",
        "Lê Văn Cường,1960,Chính thức,không,",
    )
    assert result.ok
    assert result.rows == (
        RosterRow(2, "Nguyễn Văn An", 1948, "full", True, date(1970, 2, 3)),
        RosterRow(3, "Trần Thị Bình", 1990, "candidate", False, date(2015, 5, 15)),
        RosterRow(4, "Lê Văn Cường", 1960, "full", False, None),
    )


def test_valid_xlsx_with_date_cells() -> None:
    """An XLSX with numeric years and real date cells gives one row per member."""
    data = _xlsx(
        [
            ["STT", "Họ và tên", "Năm sinh", "Loại", "Miễn sinh hoạt", "Ngày vào Đảng"],
            [1, "Phạm Thị Hoa", 1985, "chính thức", None, datetime(2010, 5, 19)],
            [2, "Hoàng Văn Dũng", 1992, "dự bị", "không", date(2015, 3, 26)],
            [3, "Vũ Thị Lan", 1938, "chính thức", "x", "19/05/1960"],
        ]
    )
    result = parse_roster(data, "Chi bo 12.XLSX", today=TODAY)
    assert result.rows == (
        RosterRow(2, "Phạm Thị Hoa", 1985, "full", False, date(2010, 5, 19)),
        RosterRow(3, "Hoàng Văn Dũng", 1992, "candidate", False, date(2015, 3, 26)),
        RosterRow(4, "Vũ Thị Lan", 1938, "full", True, date(1960, 5, 19)),
    )


def test_headers_and_values_without_diacritics() -> None:
    """Headers and values typed without diacritics are understood."""
    result = _parse_csv(
        "ho ten,nam sinh,trang thai,mien sinh hoat,ngay vao dang",
        "Nguyen Van An,1950,chinh thuc,co,01/01/1975",
        "Tran Thi Binh,1991,du bi,khong,2015-02-03",
    )
    assert result.rows == (
        RosterRow(2, "Nguyen Van An", 1950, "full", True, date(1975, 1, 1)),
        RosterRow(3, "Tran Thi Binh", 1991, "candidate", False, date(2015, 2, 3)),
    )


def test_english_headers_in_any_order() -> None:
    """English headers are accepted in any column order."""
    result = _parse_csv(
        "joined,status,name,excused,birth_year",
        "05/09/1980,full,Đỗ Văn Hùng,yes,1955",
    )
    assert result.rows == (RosterRow(2, "Đỗ Văn Hùng", 1955, "full", True, date(1980, 9, 5)),)


def test_semicolon_csv_with_utf8_bom() -> None:
    """A semicolon-separated CSV saved by Excel with a UTF-8 BOM is read."""
    data = b"\xef\xbb\xbf" + _csv(
        "Họ và tên;Năm sinh;Loại;Miễn sinh hoạt;Ngày vào Đảng",
        "Bùi Thị Hương;1979;chính thức;;20/10/2005",
    )
    result = parse_roster(data, "roster.csv", today=TODAY)
    assert result.rows == (RosterRow(2, "Bùi Thị Hương", 1979, "full", False, date(2005, 10, 20)),)


def test_windows_1258_csv() -> None:
    """A CSV saved in the Vietnamese Windows code page is read and normalised."""
    data = _cp1258(HEADER + "\r\nĐặng Thị Ngọc Huyền,1982,dự bị,không,01/06/2015")
    result = parse_roster(data, "roster.csv", today=TODAY)
    assert result.rows == (RosterRow(2, "Đặng Thị Ngọc Huyền", 1982, "candidate", False, date(2015, 6, 1)),)


def test_blank_lines_are_skipped_and_lines_keep_their_numbers() -> None:
    """Blank lines are skipped; later rows keep their spreadsheet line numbers."""
    result = _parse_csv(HEADER, "", ",,,,", "Ngô Văn Sơn,1970,chính thức,,")
    assert [row.line for row in result.rows] == [4]


def test_title_rows_above_the_header_are_skipped() -> None:
    """A title row above the header is skipped and line numbers still count it."""
    data = _xlsx(
        [
            ["DANH SÁCH ĐẢNG VIÊN CHI BỘ 12"],
            [],
            ["Họ và tên", "Năm sinh", "Loại (chính thức/dự bị)"],
            ["Lê Thị Mai", 1965, "chính thức"],
        ]
    )
    result = parse_roster(data, "chi_bo_12.xlsx", today=TODAY)
    assert result.rows == (RosterRow(4, "Lê Thị Mai", 1965, "full", False, None),)


def test_optional_columns_may_be_absent() -> None:
    """Without excused and joined columns members are not excused and have no date."""
    result = _parse_csv("Họ và tên,Năm sinh,Loại", "Trịnh Văn Lợi,1958,chính thức")
    assert result.rows == (RosterRow(2, "Trịnh Văn Lợi", 1958, "full", False, None),)


def test_empty_name_is_reported() -> None:
    """A row without a name is reported at its line."""
    error = _single_error(_parse_csv(HEADER, ",1958,chính thức,,"))
    assert error.line == 2
    assert error.message.startswith("Dòng 2: chưa ghi họ và tên")


def test_birth_year_not_a_number_is_reported() -> None:
    """A birth year that is not a number is reported with the value and an example."""
    error = _single_error(
        _parse_csv(HEADER, "Nguyễn Văn An,1950,chính thức,,", "", "Lê Văn Bình,19x5,chính thức,,")
    )
    assert error == RosterError(
        4,
        "Dòng 4: năm sinh «19x5» không hợp lệ; đề nghị ghi năm sinh bằng 4 chữ số, ví dụ 1958.",
    )


def test_birth_year_out_of_range_is_reported() -> None:
    """Birth years before 1900 or less than 18 years ago are reported."""
    result = _parse_csv(HEADER, "Nguyễn Văn An,1899,chính thức,,", "Lê Văn Bình,1998,dự bị,,")
    assert [error.line for error in result.errors] == [2, 3]
    assert "từ năm 1900 đến năm 1997" in result.errors[1].message


def test_unknown_status_is_reported() -> None:
    """A status other than chính thức or dự bị is reported."""
    error = _single_error(_parse_csv(HEADER, "Nguyễn Văn An,1950,tạm thời,,"))
    assert error.line == 2
    assert "«tạm thời»" in error.message


def test_unknown_excused_value_is_reported() -> None:
    """An excused value other than yes or no is reported."""
    error = _single_error(_parse_csv(HEADER, "Nguyễn Văn An,1950,chính thức,có lẽ,"))
    assert error.line == 2
    assert "miễn sinh hoạt ghi «có lẽ»" in error.message


def test_malformed_date_is_reported() -> None:
    """A date not written as day/month/year is reported."""
    error = _single_error(_parse_csv(HEADER, "Nguyễn Văn An,1950,chính thức,,tháng 5 1975"))
    assert error.line == 2
    assert "không đúng dạng" in error.message


def test_impossible_date_is_reported() -> None:
    """A date that does not exist on the calendar is reported."""
    error = _single_error(_parse_csv(HEADER, "Nguyễn Văn An,1950,chính thức,,31/02/1975"))
    assert error.line == 2
    assert "«31/02/1975» không có trên lịch" in error.message


def test_future_date_is_reported() -> None:
    """A date after today is reported."""
    error = _single_error(_parse_csv(HEADER, "Nguyễn Văn An,1990,dự bị,,06/09/2015"))
    assert error.line == 2
    assert "muộn hơn ngày hôm nay (05/09/2015)" in error.message


def test_date_before_the_party_was_founded_is_reported() -> None:
    """A date before 03/02/1930 is reported."""
    error = _single_error(_parse_csv(HEADER, "Nguyễn Văn An,1905,chính thức,,02/02/1930"))
    assert error.line == 2
    assert "trước ngày thành lập Đảng" in error.message


def test_joining_before_eighteen_is_reported() -> None:
    """A member who joined before turning 18 is reported."""
    error = _single_error(_parse_csv(HEADER, "Nguyễn Văn An,1960,chính thức,,01/06/1977"))
    assert error.line == 2
    assert "chưa đủ 18 tuổi" in error.message


def test_duplicate_name_is_reported_at_the_later_line() -> None:
    """A name repeated in the file is reported at the repeat, naming the first line."""
    error = _single_error(
        _parse_csv(HEADER, "Nguyễn Văn An,1950,chính thức,,", "nguyễn văn  an,1962,chính thức,,")
    )
    assert error.line == 3
    assert "trùng với dòng 2" in error.message


def test_any_bad_row_rejects_the_whole_file() -> None:
    """Errors on several lines are all reported and no row is returned."""
    result = _parse_csv(
        HEADER,
        "Nguyễn Văn An,1950,chính thức,,",
        "Lê Văn Bình,abc,chính thức,,",
        "Trần Văn Cảnh,1955,chính thức,,",
        "Phạm Văn Dũng,1956,hmm,,",
    )
    assert not result.ok
    assert result.rows == ()
    assert [error.line for error in result.errors] == [3, 5]


def test_unknown_extension_is_rejected() -> None:
    """A file that is neither CSV nor XLSX gives one error naming the accepted formats."""
    error = _single_error(parse_roster(b"whatever", "danh_sach.xls", today=TODAY))
    assert error.line == 0
    assert ".xlsx" in error.message and ".csv" in error.message


def test_corrupt_xlsx_is_rejected() -> None:
    """Bytes that are not a workbook give one file-level error."""
    error = _single_error(parse_roster(b"not a zip", "danh_sach.xlsx", today=TODAY))
    assert error.line == 0
    assert "Không mở được tệp «danh_sach.xlsx»" in error.message


def test_missing_columns_are_named_at_line_one() -> None:
    """Missing required columns give one error at line 1 naming them."""
    error = _single_error(_parse_csv("Họ và tên,Ghi chú", "Nguyễn Văn An,"))
    assert error.line == 1
    assert "«Năm sinh»" in error.message
    assert "«Loại (chính thức/dự bị)»" in error.message
    assert "«Họ và tên»" not in error.message.split(". ")[0]


def test_header_without_members_is_rejected() -> None:
    """A file with only a header gives one file-level error."""
    error = _single_error(_parse_csv(HEADER, ""))
    assert error.line == 0
    assert "chưa có đảng viên nào" in error.message


def test_more_than_the_row_limit_is_refused() -> None:
    """A list longer than 2,000 members is refused as a whole, saying the limit."""
    lines = [f"Người Số {n:05d},1980,chính thức" for n in range(MAX_ROWS + 1)]
    error = _single_error(_parse_csv("Họ và tên,Năm sinh,Loại", *lines))
    assert "quá 2000 dòng" in error.message


def test_exactly_the_row_limit_is_read() -> None:
    """A list of exactly 2,000 members is read."""
    lines = [f"Người Số {n:05d},1980,chính thức" for n in range(MAX_ROWS)]
    assert len(_parse_csv("Họ và tên,Năm sinh,Loại", *lines).rows) == MAX_ROWS


def test_a_sheet_of_a_million_tiny_rows_stops_early() -> None:
    """Reading stops soon after the limit, however many rows the sheet holds."""
    rows = [["Họ và tên", "Năm sinh", "Loại"]] + [["x"]] * (MAX_ROWS * 3)
    error = _single_error(parse_roster(_xlsx(rows), "ds.xlsx", today=TODAY))
    assert "quá 2000 dòng" in error.message


def test_wide_rows_keep_only_the_first_columns() -> None:
    """Columns past the limit are not read."""
    wide = ["Họ và tên", "Năm sinh", "Loại", *["x"] * 5000]
    row = ["Lê Văn Tâm", 1980, "chính thức", *[1] * 5000]
    assert len(parse_roster(_xlsx([wide, row]), "ds.xlsx", today=TODAY).rows) == 1


def test_a_workbook_that_unpacks_too_large_is_refused() -> None:
    """An XLSX whose parts unpack past the limit is refused before openpyxl reads it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.xml", b" " * (MAX_UNPACKED_BYTES + 1))
    error = _single_error(parse_roster(buffer.getvalue(), "bom.xlsx", today=TODAY))
    assert "khi mở ra lớn quá 20 MB" in error.message


def undimensioned_xlsx(sheet_data: str) -> bytes:
    """Build by hand an XLSX whose only sheet declares no dimension, as openpyxl never writes one."""
    main = "http://schemas.openxmlformats.org"
    relationship = f"{main}/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{main}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
            '.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument'
            '.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{main}/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{relationship}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}/spreadsheetml/2006/main" xmlns:r="{relationship}">'
            '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{main}/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{relationship}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}/spreadsheetml/2006/main">'
            f"<sheetData>{sheet_data}</sheetData></worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_sheet_of_a_million_empty_rows_without_a_dimension_is_refused_unopened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A small workbook of a million rows and no declared size is refused before openpyxl reads it."""

    def read_to_the_end(*args: object, **kwargs: object) -> None:
        """Stand for openpyxl, which reads such a sheet to its end on opening."""
        raise AssertionError("openpyxl opened the sheet")

    monkeypatch.setattr(openpyxl, "load_workbook", read_to_the_end)
    error = _single_error(parse_roster(undimensioned_xlsx("<row/>" * 1_000_000), "ds.xlsx", today=TODAY))
    assert "quá 2000 dòng" in error.message


def test_a_sheet_without_a_dimension_is_read() -> None:
    """A workbook made by a tool that declares no sheet size is read as any other."""

    def cell(value: str | int) -> str:
        """Write one cell: a number as a value, text inline."""
        return (
            f"<c><v>{value}</v></c>"
            if isinstance(value, int)
            else f'<c t="inlineStr"><is><t>{value}</t></is></c>'
        )

    table: list[tuple[str | int, ...]] = [
        ("Họ và tên", "Năm sinh", "Loại"),
        ("Lê Văn Tâm", 1980, "chính thức"),
    ]
    cells = "".join("<row>" + "".join(cell(value) for value in row) + "</row>" for row in table)
    [row] = parse_roster(undimensioned_xlsx(cells), "ds.xlsx", today=TODAY).rows
    assert row.full_name == "Lê Văn Tâm" and row.birth_year == 1980
