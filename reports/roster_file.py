"""Parse a cell's member roster file (CSV or XLSX): every row valid, or no row at all."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import PurePath
from typing import Literal, TypeVar

from texts import roster as texts

MemberStatus = Literal["full", "candidate"]
_Field = Literal["full_name", "birth_year", "status", "excused", "joined_on"]
_Cell = str | int | float | date | time | timedelta | None
_T = TypeVar("_T")

_LOCAL_TZ = timezone(timedelta(hours=7))  # Asia/Ho_Chi_Minh, no daylight saving
_PARTY_FOUNDED = date(1930, 2, 3)
_FIRST_BIRTH_YEAR = 1900
_MIN_AGE = 18
_LEADING_ROWS = 10  # rows searched for the header and sampled for the CSV delimiter
# Limits on what a file may hold, so a small hostile file cannot take minutes or gigabytes.
MAX_ROWS = 2000
MAX_COLUMNS = 30
# Rows read at most, blank ones included (a sheet may hold styled empty rows below the list).
_MAX_ROWS_READ = 20 * MAX_ROWS
# Cells in a sheet at most: a full roster is 2,000 × 30, and formatting may add blank cells.
_MAX_CELLS = 3 * MAX_ROWS * MAX_COLUMNS
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
# A row or cell element of a worksheet, with or without a namespace prefix.
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b")
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b")
_REQUIRED_FIELDS: tuple[_Field, ...] = ("full_name", "birth_year", "status")

_HEADER_ALIASES: dict[str, _Field] = {
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "ho va ten dang vien": "full_name",
    "name": "full_name",
    "full name": "full_name",
    "fullname": "full_name",
    "nam sinh": "birth_year",
    "ngay sinh": "birth_year",
    "ngay thang nam sinh": "birth_year",
    "birth year": "birth_year",
    "birthyear": "birth_year",
    "year of birth": "birth_year",
    "loai": "status",
    "loai dang vien": "status",
    "trang thai": "status",
    "status": "status",
    "mien sinh hoat": "excused",
    "mien": "excused",
    "excused": "excused",
    "ngay vao dang": "joined_on",
    "ngay ket nap": "joined_on",
    "ngay ket nap dang": "joined_on",
    "joined": "joined_on",
    "joined on": "joined_on",
    "date joined": "joined_on",
}
_STATUS_VALUES: dict[str, MemberStatus] = {
    "chinh thuc": "full",
    "dang vien chinh thuc": "full",
    "ct": "full",
    "full": "full",
    "du bi": "candidate",
    "dang vien du bi": "candidate",
    "db": "candidate",
    "candidate": "candidate",
}
_EXCUSED_VALUES: dict[str, bool] = {
    "co": True,
    "x": True,
    "mien": True,
    "yes": True,
    "1": True,
    "true": True,
    "": False,
    "khong": False,
    "k": False,
    "ko": False,
    "no": False,
    "0": False,
    "false": False,
}
_DMY_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YEAR = re.compile(r"\d{4}")
_PARENTHESISED = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class RosterRow:
    """One valid member row; line is the spreadsheet's 1-based line number."""

    line: int
    full_name: str
    birth_year: int
    status: MemberStatus
    excused: bool
    joined_on: date | None


@dataclass(frozen=True)
class RosterError:
    """One problem found in the file, in Vietnamese; line 0 means the whole file."""

    line: int
    message: str


@dataclass(frozen=True)
class RosterParseResult:
    """The rows of a fully valid file, or no rows and every error found."""

    rows: tuple[RosterRow, ...]
    errors: tuple[RosterError, ...]

    @property
    def ok(self) -> bool:
        """Return True when the file had no error and its rows may be imported."""
        return not self.errors


class _UnreadableFile(Exception):
    """The file could not be read as a table; carries the message for the user."""

    def __init__(self, message: str) -> None:
        """Keep the user-facing message."""
        super().__init__(message)
        self.message = message


class _BadCell(Exception):
    """One cell holds an invalid value; carries the message for the user."""

    def __init__(self, message: str) -> None:
        """Keep the user-facing message."""
        super().__init__(message)
        self.message = message


def parse_roster(data: bytes, filename: str, *, today: date | None = None) -> RosterParseResult:
    """Parse a roster from CSV or XLSX bytes; any error rejects the whole file."""
    today = today or datetime.now(_LOCAL_TZ).date()
    suffix = PurePath(filename).suffix.lower()
    try:
        if suffix == ".csv":
            table = _read_csv(data, filename)
        elif suffix == ".xlsx":
            table = _read_xlsx(data, filename)
        else:
            return _failure(0, texts.UNSUPPORTED_FORMAT.format(filename=filename))
    except _UnreadableFile as exc:
        return _failure(0, exc.message)
    return _parse_table(table, filename, today)


def _failure(line: int, message: str) -> RosterParseResult:
    """Return a result holding one error and no rows."""
    return RosterParseResult(rows=(), errors=(RosterError(line, message),))


def _read_csv(data: bytes, filename: str) -> list[tuple[_Cell, ...]]:
    """Decode CSV bytes and split them into rows, sniffing comma, semicolon or tab."""
    text = _decode(data, filename)
    sample = [line for line in text.splitlines() if line.strip()][:_LEADING_ROWS]
    delimiter = max(",;\t", key=lambda d: sum(line.count(d) for line in sample))
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return _bounded((tuple(row[:MAX_COLUMNS]) for row in reader), filename)
    except csv.Error as exc:
        raise _UnreadableFile(texts.UNREADABLE_FILE.format(filename=filename)) from exc


def _decode(data: bytes, filename: str) -> str:
    """Decode CSV bytes as UTF-16 (with BOM), UTF-8 (BOM optional) or Windows-1258."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1258")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _UnreadableFile(texts.UNKNOWN_ENCODING.format(filename=filename))


def _read_xlsx(data: bytes, filename: str) -> list[tuple[_Cell, ...]]:
    """Read the cell values of the first sheet of an XLSX workbook."""
    # openpyxl takes a large share of start-up time, and most runs never read a workbook.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                limit = MAX_UNPACKED_BYTES // (1024 * 1024)
                raise _UnreadableFile(texts.TOO_LARGE_UNPACKED.format(filename=filename, limit=limit))
            _check_sheet_sizes(archive, filename)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()
            rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            return _bounded((tuple(_plain(value) for value in row) for row in rows), filename)
        finally:
            workbook.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, OSError, ValueError) as exc:
        raise _UnreadableFile(texts.UNREADABLE_FILE.format(filename=filename)) from exc


def _check_sheet_sizes(archive: zipfile.ZipFile, filename: str) -> None:
    """Refuse a workbook with a sheet of more rows or cells than a roster can have."""
    # openpyxl opens every sheet that declares no dimension by reading it to its end, however early
    # the rows are stopped later: a 27 KiB file of three million empty rows took 20 s of CPU that
    # no time limit gets back (a thread cannot be stopped). Counting tags first takes milliseconds.
    for info in archive.infolist():
        if not info.filename.startswith("xl/worksheets/"):
            continue
        xml = archive.read(info)
        if _more_than(_ROW_TAG, xml, _MAX_ROWS_READ) or _more_than(_CELL_TAG, xml, _MAX_CELLS):
            raise _UnreadableFile(texts.TOO_MANY_ROWS.format(filename=filename, limit=MAX_ROWS))


def _more_than(tag: re.Pattern[bytes], xml: bytes, limit: int) -> bool:
    """Tell whether `xml` holds more than `limit` elements of `tag`, counting no further than that."""
    return sum(1 for _ in itertools.islice(tag.finditer(xml), limit + 1)) > limit


def _bounded(rows: Iterator[tuple[_Cell, ...]], filename: str) -> list[tuple[_Cell, ...]]:
    """Read rows until the end, refusing a file with more members (or rows at all) than allowed."""
    table: list[tuple[_Cell, ...]] = []
    filled = 0
    for row in rows:
        table.append(row)
        filled += not _is_blank(row)
        # The header and a title or two above it are allowed on top of the members.
        if filled > MAX_ROWS + _LEADING_ROWS or len(table) > _MAX_ROWS_READ:
            raise _UnreadableFile(texts.TOO_MANY_ROWS.format(filename=filename, limit=MAX_ROWS))
    return table


def _plain(value: object) -> _Cell:
    """Keep a value of a type the parser reads; anything else (a formula object, a decimal) as text."""
    if value is None or isinstance(value, str | int | float | date | time | timedelta):
        return value
    return str(value)


def _parse_table(table: list[tuple[_Cell, ...]], filename: str, today: date) -> RosterParseResult:
    """Find the header, parse every non-blank row below it and check names are unique."""
    lines = [(number, cells) for number, cells in enumerate(table, start=1) if not _is_blank(cells)]
    if not lines:
        return _failure(0, texts.EMPTY_FILE.format(filename=filename))
    header_at = _find_header(lines)
    header_line, header_cells = lines[header_at]
    columns, errors = _map_columns(header_line, header_cells)
    if errors:
        return RosterParseResult(rows=(), errors=tuple(errors))
    body = lines[header_at + 1 :]
    if not body:
        return _failure(0, texts.NO_MEMBERS.format(filename=filename))
    if len(body) > MAX_ROWS:
        return _failure(0, texts.TOO_MANY_ROWS.format(filename=filename, limit=MAX_ROWS))
    rows: list[RosterRow] = []
    first_line_of: dict[str, int] = {}
    for line, cells in body:
        row, row_errors = _parse_row(line, cells, columns, today)
        name = _text(_cell_at(cells, columns, "full_name"))
        if name:
            first_line = first_line_of.setdefault(name.casefold(), line)
            if first_line != line:
                row_errors.append(texts.DUPLICATE_NAME.format(line=line, name=name, first_line=first_line))
        errors.extend(RosterError(line, message) for message in row_errors)
        if row is not None:
            rows.append(row)
    if errors:
        return RosterParseResult(rows=(), errors=tuple(errors))
    return RosterParseResult(rows=tuple(rows), errors=())


def _find_header(lines: list[tuple[int, tuple[_Cell, ...]]]) -> int:
    """Return the index of the header among the first lines; title rows above it are skipped."""
    for index, (_, cells) in enumerate(lines[:_LEADING_ROWS]):
        fields = {_HEADER_ALIASES.get(_header_key(cell)) for cell in cells}
        if "full_name" in fields and len(fields - {None}) >= 2:
            return index
    return 0


def _map_columns(line: int, cells: tuple[_Cell, ...]) -> tuple[dict[_Field, int], list[RosterError]]:
    """Map each known field to its column index and report missing or repeated columns."""
    columns: dict[_Field, int] = {}
    errors: list[RosterError] = []
    for index, cell in enumerate(cells):
        field = _HEADER_ALIASES.get(_header_key(cell))
        if field is None:
            continue
        if field in columns:
            message = texts.DUPLICATE_COLUMN.format(line=line, column=_text(cell))
            errors.append(RosterError(line, message))
        else:
            columns[field] = index
    missing = [field for field in _REQUIRED_FIELDS if field not in columns]
    if missing:
        names = ", ".join(f"«{texts.COLUMN_LABELS[field]}»" for field in missing)
        errors.append(RosterError(line, texts.MISSING_COLUMNS.format(line=line, columns=names)))
    return columns, errors


def _parse_row(
    line: int, cells: tuple[_Cell, ...], columns: dict[_Field, int], today: date
) -> tuple[RosterRow | None, list[str]]:
    """Parse one member row into a RosterRow, or return the messages of its bad cells."""
    messages: list[str] = []
    full_name = _text(_cell_at(cells, columns, "full_name"))
    if not full_name:
        messages.append(texts.EMPTY_NAME.format(line=line))
    birth_value = _cell_at(cells, columns, "birth_year")
    status_value = _cell_at(cells, columns, "status")
    excused_value = _cell_at(cells, columns, "excused")
    joined_value = _cell_at(cells, columns, "joined_on")
    birth_year = _collect(messages, lambda: _parse_birth_year(line, birth_value, today))
    status = _collect(messages, lambda: _parse_status(line, status_value))
    excused = _collect(messages, lambda: _parse_excused(line, excused_value))
    joined_on = _collect(messages, lambda: _parse_joined_on(line, joined_value, today))
    if joined_on and birth_year and joined_on.year - birth_year < _MIN_AGE:
        messages.append(
            texts.JOINED_TOO_YOUNG.format(line=line, value=_format_date(joined_on), birth_year=birth_year)
        )
    if messages or birth_year is None or status is None or excused is None:
        return None, messages
    return RosterRow(line, full_name, birth_year, status, excused, joined_on), messages


def _collect(messages: list[str], parse: Callable[[], _T]) -> _T | None:
    """Run one cell parser; on a bad cell record its message and return None."""
    try:
        return parse()
    except _BadCell as exc:
        messages.append(exc.message)
        return None


def _parse_birth_year(line: int, value: _Cell, today: date) -> int:
    """Read a birth year written as 4 digits, a number, or a full birth date."""
    last = today.year - _MIN_AGE
    text = _text(value)
    if not text:
        raise _BadCell(texts.EMPTY_BIRTH_YEAR.format(line=line))
    if isinstance(value, date):
        year = value.year
    elif isinstance(value, float) and value.is_integer():
        year = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, str) and _YEAR.fullmatch(text):
        year = int(text)
    elif isinstance(value, str) and (birth_date := _date_from_text(text)) is not None:
        year = birth_date.year
    else:
        raise _BadCell(texts.BAD_BIRTH_YEAR.format(line=line, value=text))
    if not _FIRST_BIRTH_YEAR <= year <= last:
        raise _BadCell(
            texts.BIRTH_YEAR_OUT_OF_RANGE.format(line=line, value=year, first=_FIRST_BIRTH_YEAR, last=last)
        )
    return year


def _parse_status(line: int, value: _Cell) -> MemberStatus:
    """Read "chính thức" or "dự bị", with or without diacritics, or their English names."""
    text = _text(value)
    if not text:
        raise _BadCell(texts.EMPTY_STATUS.format(line=line))
    status = _STATUS_VALUES.get(_fold(text))
    if status is None:
        raise _BadCell(texts.BAD_STATUS.format(line=line, value=text))
    return status


def _parse_excused(line: int, value: _Cell) -> bool:
    """Read the excused flag: có/x/yes/1 or không/empty/no/0."""
    excused = _EXCUSED_VALUES.get(_fold(_text(value)))
    if excused is None:
        raise _BadCell(texts.BAD_EXCUSED.format(line=line, value=_text(value)))
    return excused


def _parse_joined_on(line: int, value: _Cell, today: date) -> date | None:
    """Read the date joined from a date cell or dd/mm/yyyy (or yyyy-mm-dd) text; empty is None."""
    text = _text(value)
    if not text:
        return None
    if isinstance(value, datetime):
        joined_on = value.date()
    elif isinstance(value, date):
        joined_on = value
    elif not isinstance(value, str) or not (_DMY_DATE.fullmatch(text) or _ISO_DATE.fullmatch(text)):
        raise _BadCell(texts.BAD_DATE_FORMAT.format(line=line, value=text))
    elif (parsed := _date_from_text(text)) is None:
        raise _BadCell(texts.IMPOSSIBLE_DATE.format(line=line, value=text))
    else:
        joined_on = parsed
    if joined_on < _PARTY_FOUNDED:
        raise _BadCell(texts.DATE_BEFORE_FOUNDING.format(line=line, value=_format_date(joined_on)))
    if joined_on > today:
        raise _BadCell(
            texts.FUTURE_DATE.format(line=line, value=_format_date(joined_on), today=_format_date(today))
        )
    return joined_on


def _date_from_text(text: str) -> date | None:
    """Return the real calendar date written as dd/mm/yyyy or yyyy-mm-dd, else None."""
    if match := _DMY_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _cell_at(cells: tuple[_Cell, ...], columns: dict[_Field, int], field: _Field) -> _Cell:
    """Return the row's value in the field's column; None when the column or cell is absent."""
    index = columns.get(field)
    if index is None or index >= len(cells):
        return None
    return cells[index]


def _is_blank(cells: tuple[_Cell, ...]) -> bool:
    """Tell whether every cell of a row is empty or whitespace."""
    return not any(_text(cell) for cell in cells)


def _text(value: _Cell) -> str:
    """Render a cell as NFC text with single spaces; dates as dd/mm/yyyy, whole floats as ints."""
    if value is None:
        return ""
    if isinstance(value, date):
        return _format_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _format_date(value: date) -> str:
    """Format a date (or the day of a datetime) as dd/mm/yyyy."""
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def _header_key(value: _Cell) -> str:
    """Fold a header cell for lookup, dropping any parenthesised hint such as "(có/không)"."""
    return _fold(_PARENTHESISED.sub(" ", _text(value)))


def _fold(text: str) -> str:
    """Lower-case text, strip Vietnamese diacritics and reduce punctuation to single spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", bare).split())
