"""A streaming XLSX writer: each sheet's rows go into the file as they come.

openpyxl, even in write-only mode, spends about 14 µs on a cell, and a province's export has
millions of cells. This writes only what the exports need (text, numbers, dates, percentages, a
bold frozen header row with a filter under a few title lines, column widths) straight into the zip
archive.
"""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, BinaryIO
from xml.sax.saxutils import escape, quoteattr

from core.sanitize import xml_safe

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "HH:MM DD/MM/YYYY"
PERCENT_FORMAT = "0.0%"
MIN_WIDTH = 8
MAX_WIDTH = 50
# Column widths are settled from the first rows, held back until then; a sheet's later rows rarely
# widen a column that this many did not.
WIDTH_SAMPLE = 2000
# Rows joined into one write to the archive.
ROWS_PER_WRITE = 500
# Values whose cell XML is remembered: cell names, statuses and dates repeat on thousands of rows.
CACHED_VALUES = 50_000

_EPOCH = datetime(1899, 12, 30)
_DAY = timedelta(days=1)
_STYLE_DATE, _STYLE_DATETIME, _STYLE_PERCENT, _STYLE_HEADER, _STYLE_TITLE = 1, 2, 3, 4, 5

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = f"""<styleSheet xmlns="{_MAIN}">\
<numFmts count="3"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/>\
<numFmt numFmtId="165" formatCode="{DATETIME_FORMAT}"/>\
<numFmt numFmtId="166" formatCode="{PERCENT_FORMAT}"/></numFmts>\
<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="13"/><name val="Calibri"/><family val="2"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


def column_letter(index: int) -> str:
    """Return the letters of a zero-based column: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def shown_length(value: Any) -> int:
    """Return about how many characters a cell shows."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, date):
        return len(DATE_FORMAT)
    return max(len(line) for line in str(value).split("\n"))


def _text(value: str) -> str:
    """Return a text cell."""
    return f'<c t="inlineStr"><is><t xml:space="preserve">{escape(xml_safe(value))}</t></is></c>'


def _bool(value: bool) -> str:
    """Return a true/false cell."""
    return f'<c t="b"><v>{int(value)}</v></c>'


def _int(value: int) -> str:
    """Return a whole-number cell."""
    return f"<c><v>{value}</v></c>"


def _percent(value: float) -> str:
    """Return a fraction shown as a percentage."""
    return f'<c s="{_STYLE_PERCENT}"><v>{value!r}</v></c>'


def _datetime(value: datetime) -> str:
    """Return a local moment as serial days, shown with hour and date."""
    return f'<c s="{_STYLE_DATETIME}"><v>{(value - _EPOCH) / _DAY!r}</v></c>'


def _date(value: date) -> str:
    """Return a day as serial days, shown as a date."""
    return f'<c s="{_STYLE_DATE}"><v>{(value - _EPOCH.date()).days}</v></c>'


def _empty(_: None) -> str:
    """Return an empty cell, which keeps the next cells in their columns."""
    return "<c/>"


_CELLS: dict[type, Callable[[Any], str]] = {
    str: _text,
    bool: _bool,
    int: _int,
    float: _percent,
    datetime: _datetime,
    date: _date,
    type(None): _empty,
}


class Sheet:
    """One sheet being written: rows are appended in order and streamed out."""

    def __init__(
        self,
        archive: zipfile.ZipFile,
        number: int,
        name: str,
        headers: Sequence[str],
        titles: Sequence[str] = (),
    ) -> None:
        self.name = name
        self._stream = archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True)
        self._titles = list(titles)
        self._headers = list(headers)
        # The header row comes under the title lines and a blank row after them.
        self.header_row = len(self._titles) + 2 if self._titles else 1
        self._letters = [column_letter(i) for i in range(len(headers))]
        self._held: list[Sequence[Any]] | None = []
        self._pending: list[str] = []
        # One cache per type: 1, 1.0 and True are equal keys but different cells.
        self._cache: defaultdict[type, dict[Any, str]] = defaultdict(dict)
        self.rows = 0

    def append(self, values: Sequence[Any]) -> None:
        """Add the next row; empty cells are None."""
        if self._held is not None:
            self._held.append(values)
            if len(self._held) >= WIDTH_SAMPLE:
                self._start()
            return
        self._row(values)

    def _start(self) -> None:
        """Write the sheet's head with widths from the rows held so far, then those rows."""
        held, self._held = self._held or [], None
        widths = [len(h) for h in self._headers]
        for values in held:
            for index, value in enumerate(values):
                widths[index] = max(widths[index], shown_length(value))
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{min(MAX_WIDTH, max(MIN_WIDTH, w + 2))}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        top = self.header_row
        header = "".join(
            f'<c r="{letter}{top}" t="inlineStr" s="{_STYLE_HEADER}"><is><t>{escape(text)}</t></is></c>'
            for letter, text in zip(self._letters, self._headers, strict=True)
        )
        titles = "".join(
            f'<row r="{n}"><c r="A{n}" t="inlineStr" s="{_STYLE_TITLE}">'
            f"<is><t>{escape(text)}</t></is></c></row>"
            for n, text in enumerate(self._titles, start=1)
        )
        self._stream.write(
            (
                f'{_XML_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
                '<sheetViews><sheetView workbookViewId="0">'
                f'<pane ySplit="{top}" topLeftCell="A{top + 1}" activePane="bottomLeft" state="frozen"/>'
                f'<selection pane="bottomLeft" activeCell="A{top + 1}" sqref="A{top + 1}"/>'
                "</sheetView></sheetViews>"
                f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
                f'<sheetData>{titles}<row r="{top}">{header}</row>'
            ).encode()
        )
        for values in held:
            self._row(values)

    def _row(self, values: Sequence[Any]) -> None:
        """Queue one row's XML, writing the queue out when it is long enough."""
        self.rows += 1
        end = len(values)
        while end and values[end - 1] is None:
            end -= 1
        # Cells go without references, one per column, so a row's cells are placed by their order.
        # The loop is the export's hottest: a province's workbook has millions of cells.
        cache = self._cache
        cells = []
        for value in values[:end]:
            remembered = cache[type(value)]
            xml = remembered.get(value)
            if xml is None:
                xml = _CELLS[type(value)](value)
                if len(remembered) < CACHED_VALUES:
                    remembered[value] = xml
            cells.append(xml)
        self._pending.append(f'<row r="{self.rows + self.header_row}">{"".join(cells)}</row>')
        if len(self._pending) >= ROWS_PER_WRITE:
            self._flush()

    def _flush(self) -> None:
        """Write the queued rows."""
        self._stream.write("".join(self._pending).encode())
        self._pending.clear()

    @property
    def filter_range(self) -> str:
        """Return the range the header's filter covers: every column, header to last row."""
        return f"A{self.header_row}:{self._letters[-1]}{self.rows + self.header_row}"

    def close(self) -> None:
        """Finish the sheet: the rest of the rows, then the filter."""
        if self._held is not None:
            self._start()
        self._flush()
        self._stream.write(f'</sheetData><autoFilter ref="{self.filter_range}"/></worksheet>'.encode())
        self._stream.close()


class Workbook:
    """An XLSX file written sheet after sheet into a binary stream."""

    def __init__(self, out: BinaryIO, title: str) -> None:
        # Level 1 compresses the repetitive sheet XML nearly as well as the default, several times faster.
        self._archive = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self._title = title
        self._sheets: list[Sheet] = []

    def add_sheet(self, name: str, headers: Sequence[str], titles: Sequence[str] = ()) -> Sheet:
        """Start the next sheet, its title lines above the header; the one before it is finished first."""
        if self._sheets:
            self._sheets[-1].close()
        sheet = Sheet(self._archive, len(self._sheets) + 1, name, headers, titles)
        self._sheets.append(sheet)
        return sheet

    def close(self) -> None:
        """Finish the last sheet and write the parts that list the sheets."""
        if self._sheets:
            self._sheets[-1].close()
        numbers = range(1, len(self._sheets) + 1)
        sheets = "".join(
            f'<sheet name={quoteattr(s.name)} sheetId="{n}" r:id="rId{n}"/>'
            for n, s in zip(numbers, self._sheets, strict=True)
        )
        filters = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n - 1}" hidden="1">'
            f"{escape(_quoted(s.name))}!{_absolute(s.filter_range)}</definedName>"
            for n, s in zip(numbers, self._sheets, strict=True)
        )
        defined = f"<definedNames>{filters}</definedNames>" if filters else ""
        self._write(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{sheets}</sheets>{defined}</workbook>',
        )
        styles_id = len(self._sheets) + 1
        relations = "".join(
            f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in numbers
        )
        self._write(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PACKAGE_REL}">{relations}'
            f'<Relationship Id="rId{styles_id}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
        )
        self._write("xl/styles.xml", _STYLES)
        self._write(
            "docProps/core.xml",
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>'
            f"{escape(self._title)}</dc:title></cp:coreProperties>",
        )
        self._write(
            "_rels/.rels",
            f'<Relationships xmlns="{_PACKAGE_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{_PACKAGE_REL}/metadata/core-properties"'
            ' Target="docProps/core.xml"/>'
            "</Relationships>",
        )
        sheet_types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CONTENT}.worksheet+xml"/>'
            for n in numbers
        )
        self._write(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels"'
            ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CONTENT}.sheet.main+xml"/>{sheet_types}'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CONTENT}.styles+xml"/>'
            '<Override PartName="/docProps/core.xml"'
            ' ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>',
        )
        self._archive.close()

    def _write(self, name: str, xml: str) -> None:
        """Add one small part to the archive."""
        self._archive.writestr(name, _XML_HEAD + xml)


_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _quoted(name: str) -> str:
    """Return a sheet name as a formula names it: in single quotes, its own quotes doubled."""
    return "'" + name.replace("'", "''") + "'"


def _absolute(cells: str) -> str:
    """Return a range such as A1:K9 as $A$1:$K$9."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in cells.split(":"))
