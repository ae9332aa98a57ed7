"""The layout of a party document (Hướng dẫn 36-HD/VPTW, 2018), shared by the summary report and the minutes.

A4, margins 20/20/30/15 mm, Times New Roman; the two-column heading (issuer and number on the left,
the Party and the place and date on the right); page numbers from page 2; «Nơi nhận» and the
signature block at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from core.sanitize import xml_safe
from texts import documents as t

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
HEADING_SIZE = Pt(13)
TABLE_SIZE = Pt(11)
SMALL_SIZE = Pt(12)
# The writing width: 210 mm less the 30 mm left and 15 mm right margins.
TEXT_WIDTH = Mm(165)
FIRST_LINE = Cm(1)

Container = _Cell | DocumentType


@dataclass(frozen=True)
class Heading:
    """What the top of a document says: who issues it, its number, where and when."""

    superior: str
    issuer: str
    number: str | None
    place: str
    day: date


def new_document() -> DocumentType:
    """Start an empty A4 document in Times New Roman with the guidance's margins and page numbers."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = BODY_SIZE
    # Word takes the font of Vietnamese text from the East Asian slot unless it is set too.
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = section.footer_distance = Mm(10)
    # The first page carries no number; the others carry it at the top, in the middle.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    number._p.append(field)
    return document


def line(
    container: Container,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    size: Pt | None = None,
    first: bool = False,
    before: Pt | None = None,
    after: Pt | None = None,
) -> Paragraph:
    """Add one paragraph of a single run; `first` writes into a table cell's own first paragraph."""
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if before is not None:
        paragraph.paragraph_format.space_before = before
    if after is not None:
        paragraph.paragraph_format.space_after = after
    if text:
        run = paragraph.add_run(xml_safe(text))
        run.bold, run.italic, run.underline = bold, italic, underline
        if size is not None:
            run.font.size = size
    return paragraph


def body(document: DocumentType, text: str, *, bold: bool = False) -> Paragraph:
    """Add a paragraph of the body: justified, its first line indented, a little space after."""
    paragraph = line(document, text, bold=bold, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=Pt(6))
    paragraph.paragraph_format.first_line_indent = FIRST_LINE
    paragraph.paragraph_format.line_spacing = 1.15
    return paragraph


def section_title(document: DocumentType, text: str) -> Paragraph:
    """Add a numbered section's title, bold, with space above."""
    paragraph = line(document, text, bold=True, before=Pt(6), after=Pt(6))
    paragraph.paragraph_format.first_line_indent = FIRST_LINE
    return paragraph


def _widths(table: Table, widths: Sequence[Mm]) -> None:
    """Fix a table's column widths, which Word and LibreOffice read from every cell."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def heading(document: DocumentType, top: Heading) -> None:
    """Write the two-column heading: the issuer, a star and the number; the Party, the place and date."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    line(left, top.superior.upper(), align=center, size=HEADING_SIZE, first=True)
    line(left, top.issuer.upper(), bold=True, align=center, size=HEADING_SIZE)
    line(left, t.STAR, align=center, size=HEADING_SIZE)
    if top.number is not None:
        line(left, top.number, align=center, size=HEADING_SIZE)
    line(right, t.PARTY, bold=True, underline=True, align=center, size=Pt(15), first=True)
    line(right)
    line(
        right,
        t.place_date(top.place, top.day.day, top.day.month, top.day.year),
        italic=True,
        align=center,
        size=HEADING_SIZE,
    )
    _widths(table, (Mm(75), Mm(90)))


def title(document: DocumentType, kind: str, subject: str) -> None:
    """Write the kind of document and its subject, centred under the heading."""
    line(document, kind, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=Pt(15), before=Pt(18))
    line(document, subject[:1].upper() + subject[1:], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    line(document, "-----", align=WD_ALIGN_PARAGRAPH.CENTER, after=Pt(12))


def grid(
    document: DocumentType, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[Mm]
) -> None:
    """Write a bordered table, its header row bold, in a smaller size."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        line(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=TABLE_SIZE, first=True)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            line(cell, text, size=TABLE_SIZE, first=True)
    _widths(table, widths)


def signatures(document: DocumentType, left: Sequence[str], right: Sequence[str], *, receivers: bool) -> None:
    """Write the end: «Nơi nhận» (or a signature block) on the left, a signature block on the right.

    A block is its lines of authority and title in bold, room for the signature, then the name.
    """
    table = document.add_table(rows=1, cols=2)
    cells = table.rows[0].cells
    line(document)
    if receivers:
        receiver, *lines = left
        paragraph = line(cells[0], receiver, bold=True, italic=True, size=SMALL_SIZE, first=True)
        paragraph.paragraph_format.space_before = Pt(12)
        for text in lines:
            line(cells[0], text, size=SMALL_SIZE)
    else:
        _block(cells[0], left)
    _block(cells[1], right)
    _widths(table, (Mm(80), Mm(85)))


def _block(cell: _Cell, lines: Sequence[str]) -> None:
    """Write one signature block: the titles bold, four blank lines, then the name in bold."""
    *titles, name = lines
    center = WD_ALIGN_PARAGRAPH.CENTER
    for number, text in enumerate(titles):
        line(cell, text, bold=True, align=center, first=number == 0, before=Pt(12) if number == 0 else None)
    for _ in range(4):
        line(cell)
    line(cell, name, bold=bool(name) and name != t.UNSIGNED, italic=name == t.UNSIGNED, align=center)


def to_bytes(document: DocumentType) -> bytes:
    """Return the document as the bytes of a DOCX file."""
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
