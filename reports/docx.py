"""The DOCX export: the period's summary report in the layout of a party document."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from reports.digest import Digest, cell_lines, total_lines
from reports.export_data import ExportData
from texts import digest as td
from texts import exports as t

FONT = "Times New Roman"
BODY_SIZE = Pt(13)


def _line(
    cell: _Cell | DocumentType,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    center: bool = False,
    size: Pt | None = None,
) -> None:
    """Add one paragraph of a single run."""
    paragraph = cell.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size is not None:
        run.font.size = size


def _first_line(cell: _Cell, text: str, **style: bool) -> None:
    """Write into a table cell's own first paragraph, so the cell has no blank line on top."""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = style.get("bold", False)
    run.italic = style.get("italic", False)
    run.underline = style.get("underline", False)


def _label_value(line: str) -> tuple[str, str]:
    """Split a digest line «Báo cáo: đúng hạn.» into its label and its value."""
    label, _, value = line.partition(": ")
    return label, value.rstrip(".")


def _header(document: DocumentType, data: ExportData) -> None:
    """Write the two-column header: the issuer on the left, the Party and the place and date on the right."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    if data.cell is None:
        _first_line(left, data.committee.upper().replace("ĐẢNG BỘ", "ĐẢNG ỦY", 1), bold=True)
        number = t.NUMBER_WARD
    else:
        _first_line(left, data.committee.upper())
        _line(left, data.cell.upper(), bold=True, center=True)
        number = t.NUMBER_CELL
    _line(left, t.STAR, center=True)
    _line(left, number, center=True)
    _first_line(right, t.PARTY, bold=True, underline=True)
    _line(right, "")
    _line(
        right,
        t.place_date(data.place, data.today.day, data.today.month, data.today.year),
        italic=True,
        center=True,
    )


def _cell_table(document: DocumentType, lines: list[str], reasons: tuple[str, ...]) -> None:
    """Write one cell's figures as a two-column table."""
    rows = [_label_value(line) for line in lines]
    if reasons:
        rows.append((t.TABLE_ATTENTION, "; ".join(td.ATTENTION_LABELS[r] for r in reasons)))
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    head = table.rows[0].cells
    head[0].text, head[1].text = t.TABLE_ITEM, t.TABLE_RESULT
    for cell in head:
        cell.paragraphs[0].runs[0].bold = True
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(6), Cm(10)


def write_docx(data: ExportData, ward: Digest) -> bytes:
    """Write the summary report of the gathered data and its digest as a DOCX party document."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = BODY_SIZE
    # Word takes the font of Vietnamese text from the East Asian slot unless it is set too.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for section in document.sections:
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    _header(document, data)
    period = td.period_label(data.period.kind, data.period.year, data.period.index)
    issuer = data.cell or data.committee.replace("Đảng bộ", "Đảng ủy", 1)
    _line(document, "")
    _line(document, t.REPORT, bold=True, center=True, size=Pt(14))
    _line(document, t.subtitle(period), bold=True, center=True)
    _line(document, t.STAR, center=True)
    if data.cell is None:
        recipient = data.recipient or t.DEFAULT_RECIPIENT
    else:
        recipient = data.committee.replace("Đảng bộ", "Đảng ủy", 1)
    _line(document, t.recipient(recipient), center=True)
    _line(document, t.intro(issuer, data.directive, period))
    _line(document, t.SECTION_GENERAL, bold=True)
    for line in total_lines(ward):
        _line(document, f"- {line}")
    _line(document, t.SECTION_CELLS if data.cell is None else t.SECTION_CELL, bold=True)
    for number, cell in enumerate(ward.cells, start=1):
        _line(document, f"{number}. {cell.name}", bold=True)
        _cell_table(document, cell_lines(cell), cell.attention)
    _line(document, t.SECTION_NEXT, bold=True)
    flagged = [c for c in ward.cells if c.attention]
    if flagged:
        _line(document, t.NEXT_INTRO)
        for cell in flagged:
            _line(document, t.next_line(cell.name, "; ".join(td.ATTENTION_LABELS[r] for r in cell.attention)))
    else:
        _line(document, t.NOTHING_TO_FLAG)
    _line(document, "")
    footer = document.add_table(rows=1, cols=2)
    receivers, signature = footer.rows[0].cells
    receivers.paragraphs[0].add_run(t.RECEIVERS).bold = True
    for line in t.RECEIVERS_WARD if data.cell is None else t.RECEIVERS_CELL:
        _line(receivers, line, size=Pt(11))
    _first_line(signature, t.SIGN_WARD if data.cell is None else t.SIGN_CELL, bold=True)
    _line(signature, t.SECRETARY, bold=True, center=True)
    for _ in range(3):
        _line(signature, "")
    if data.signer:
        _line(signature, data.signer, bold=True, center=True)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
