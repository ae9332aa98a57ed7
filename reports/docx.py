"""The DOCX export: the period's summary report as a party document, written in sentences from the data.

The ward's report speaks of its cells and goes to the superior body; a cell's report speaks of
«chi bộ ta» and goes to the ward's committee. Every figure comes from the same digest (and, for a
cell, the same report rows) as the XLSX, so the two never disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from domain.clock import fmt_date
from domain.digest import LATE, MISSING, MONTH, NOT_DUE, ON_TIME, CellDigest
from domain.meetings import quarter_of
from reports import party_document as layout
from reports.digest import Digest
from reports.export_data import ExportData, ReportRow
from texts import digest as td
from texts import documents as t
from texts import report as tr


def issuer_of(committee: str) -> str:
    """Name the committee that issues a ward's documents: «Đảng ủy phường Phúc Lợi»."""
    return committee.replace(t.COMMITTEE_WORD, t.ISSUER_WORD, 1)


def _rate(present: int, expected: int) -> str:
    """Show an attendance rate from its counts."""
    return tr.rate(present / expected if expected else None)


def _current_quarter(ward: Digest) -> tuple[int, int] | None:
    """Return the latest quarter of the period that has begun, whose thematic meeting is reported."""
    current = (ward.today.year, quarter_of(ward.today.month))
    quarters = [q for q in ward.period.quarters if q <= current]
    return quarters[-1] if quarters else None


def _meetings_sentence(ward: Digest, period: str) -> str:
    """Say how many cells met and reported, with the attendance."""
    cells = ward.cells
    statuses = Counter(month.status for c in cells for month in c.months)
    on_time, late, missing, not_due = (statuses[s] for s in (ON_TIME, LATE, MISSING, NOT_DUE))
    one_month = ward.period.kind == MONTH
    due = len(cells) if one_month else on_time + late + missing
    opening = t.meetings(period, on_time + late, due, on_time, late, not_due, one_month=one_month)
    expected = sum(c.expected for c in cells)
    if not expected:
        return opening + t.NO_MEETING_FIGURES
    present = sum(c.present for c in cells)
    return opening + t.attendance(
        _rate(present, expected), sum(c.absent_without_reason for c in cells), False
    )


def _cell_meetings_sentence(cell: CellDigest, rows: Sequence[ReportRow], period: str) -> str:
    """Say when the cell met in the period, with its attendance."""
    filed = [r.report for r in rows if r.report is not None]
    held = sum(1 for m in cell.months if m.status in (ON_TIME, LATE))
    dates = [fmt_date(r.summary.meeting_date) for r in filed]
    opening = t.cell_meetings(period, held, len(cell.months), dates)
    if not cell.expected:
        return opening + t.NO_MEETING_FIGURES
    return opening + t.attendance(_rate(cell.present, cell.expected), cell.absent_without_reason, True)


def _pledges_sentence(cells: Sequence[CellDigest], year: int) -> str:
    """Sum up the pledges of the cells."""
    total = {
        f: sum(getattr(c.pledges, f) for c in cells)
        for f in ("specific", "vague", "none", "done", "items", "overdue")
    }
    return t.pledges(year, **total)


def results(ward: Digest, period: str, rows: Sequence[ReportRow], own_cell: bool) -> list[str]:
    """Write the paragraphs of what was done, the figures inside the sentences."""
    cells = ward.cells
    quarter = _current_quarter(ward)
    paragraphs = []
    if own_cell:
        cell = cells[0]
        meetings = _cell_meetings_sentence(cell, rows, period)
        held = quarter is not None and (*quarter, True) in cell.thematic
        thematic = t.thematic_cell(held, tr.quarter_label(*quarter)) if quarter else ""
        paragraphs.append(f"{meetings} {thematic}".strip())
    else:
        meetings = _meetings_sentence(ward, period)
        if quarter:
            held_by = sum(1 for c in cells if (*quarter, True) in c.thematic)
            meetings += " " + t.thematic(held_by, len(cells), tr.quarter_label(*quarter))
        paragraphs.append(meetings)
    paragraphs.append(_pledges_sentence(cells, ward.period.year))
    upcoming = [c for c in cells if c.inspection]
    tasks = t.tasks(sum(c.open_tasks for c in cells), sum(c.overdue_tasks for c in cells))
    if own_cell and cells[0].inspection:
        inspection = cells[0].inspection
        tasks += t.inspection_cell(fmt_date(inspection.session_on), inspection.missing)
    elif not own_cell:
        tasks += t.inspections(
            len(upcoming), sum(1 for c in upcoming if c.inspection and c.inspection.missing)
        )
    paragraphs.append(tasks)
    return paragraphs


def shortfall_parts(cell: CellDigest) -> list[str]:
    """Name what a cell falls short in, with its own figures, most serious first."""
    p = cell.pledges
    figures = {
        "missing_months": ", ".join(
            td.period_label(MONTH, m.year, m.month) for m in cell.months if m.status == MISSING
        ),
        "deadline": ", ".join(fmt_date(m.deadline) for m in cell.months if m.status == MISSING),
        "session": fmt_date(cell.inspection.session_on) if cell.inspection else "",
        "inspection_missing": cell.inspection.missing if cell.inspection else 0,
        "overdue_tasks": cell.overdue_tasks,
        "without": cell.absent_without_reason,
        "rate": tr.rate(cell.rate),
        "quarters": ", ".join(tr.quarter_label(y, q) for y, q, held in cell.thematic if not held),
        "overdue_items": p.overdue,
        "no_pledge": p.none,
        "vague": p.vague,
    }
    return [t.SHORTFALLS[reason].format(**figures) for reason in cell.attention]


def shortfalls(ward: Digest, own_cell: bool) -> list[str]:
    """Write one sentence per cell needing attention (or the cell's own), or say there is none."""
    flagged = [c for c in ward.cells if c.attention]
    if own_cell:
        return [t.our_shortfalls(shortfall_parts(flagged[0]))] if flagged else [t.NOTHING_SHORT_CELL]
    if not flagged:
        return [t.NOTHING_SHORT]
    return [t.cell_shortfalls(c.name, shortfall_parts(c)) for c in flagged]


def tasks(ward: Digest, period: str, deadline_day: int, own_cell: bool) -> list[str]:
    """Write the tasks for the coming period, each asked of the cells that need it."""
    wanted: dict[str, list[str]] = {}
    for cell in ward.cells:
        for reason in cell.attention:
            wanted.setdefault(reason, []).append(cell.name)
    lines = []
    for reason in t.TASKS:
        if reason not in wanted:
            continue
        subject = t.OUR_CELL.capitalize() if own_cell else t.cells_subject(wanted[reason])
        lines.append(f"{subject} {t.TASKS[reason].format(period=period, deadline_day=deadline_day)}")
    lines.append(t.FOLLOW_UP_CELL if own_cell else t.FOLLOW_UP_WARD)
    return [f"{number}. {text}" for number, text in enumerate(lines, start=1)]


def _appendix_row(number: int, cell: CellDigest) -> list[str]:
    """Return one cell's row of the appendix."""
    if len(cell.months) == 1:
        standing = t.REPORT_STANDING[cell.months[0].status]
    else:
        standing = t.reports_count(cell.count(ON_TIME), cell.count(LATE), cell.count(MISSING))
    thematic = "; ".join(f"{tr.ROMAN[q]}: {t.THEMATIC_HELD[held]}" for _, q, held in cell.thematic)
    p = cell.pledges
    return [
        str(number),
        cell.name,
        standing,
        tr.rate(cell.rate),
        str(cell.absent_without_reason),
        thematic or t.NOT_APPLICABLE,
        f"{p.specific} / {p.vague} / {p.none}",
        f"{p.done}/{p.items} ({p.overdue})",
        f"{cell.open_tasks} ({cell.overdue_tasks})",
    ]


def _meeting_row(row: ReportRow) -> list[str]:
    """Return one month's row of the cell's meetings table."""
    standing = row.standing
    month = t.month_short(standing.year, standing.month)
    if row.report is None:
        blank = [t.NOT_APPLICABLE] * 6
        return [month, *blank, t.REPORT_STANDING[standing.status]]
    report, counts = row.report, row.report.summary.counts
    return [
        month,
        fmt_date(report.summary.meeting_date),
        tr.KIND_LABELS[report.summary.kind],
        f"{counts.present}/{counts.expected}",
        tr.rate(counts.rate),
        str(counts.absent_with_reason),
        str(counts.absent_without_reason),
        t.REPORT_STANDING[standing.status],
    ]


def _appendix(
    document: DocumentType, ward: Digest, rows: Sequence[ReportRow], period: str, own_cell: bool
) -> None:
    """Write the tables: every cell's figures, and for a cell its meetings, on a page of their own."""
    document.add_page_break()
    layout.line(document, t.APPENDIX, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    layout.line(document, t.appendix_title(period), italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=Pt(6))
    widths = [Mm(w) for w in (11, 30, 18, 16, 17, 18, 19, 20, 16)]
    layout.grid(
        document, t.APPENDIX_HEADERS, [_appendix_row(n, c) for n, c in enumerate(ward.cells, start=1)], widths
    )
    if own_cell:
        layout.line(
            document,
            t.appendix_meetings(period),
            italic=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            before=Pt(12),
            after=Pt(6),
        )
        widths = [Mm(w) for w in (16, 24, 27, 21, 17, 20, 20, 20)]
        layout.grid(document, t.MEETING_HEADERS, [_meeting_row(r) for r in rows], widths)


def heading_of(data: ExportData) -> layout.Heading:
    """Return the heading of the summary report: the ward's committee, or a cell under its ward."""
    if data.cell is None:
        superior = data.superior_body or t.UNKNOWN_SUPERIOR
        return layout.Heading(superior, issuer_of(data.committee), t.NUMBER_WARD, data.place, data.today)
    return layout.Heading(data.committee, data.cell, t.NUMBER_CELL, data.place, data.today)


def recipient_of(data: ExportData) -> str | None:
    """Return whom the report is addressed to: the ward's committee for a cell, the superior's for a ward."""
    if data.cell is not None:
        return issuer_of(data.committee)
    if data.recipient:
        return data.recipient
    return t.standing_committee(data.superior_body) if data.superior_body else None


def write_docx(data: ExportData, ward: Digest, rows: Sequence[ReportRow]) -> bytes:
    """Write the summary report of the gathered data, its digest and (for a cell) its report rows."""
    own_cell = data.cell is not None
    period = td.period_label(data.period.kind, data.period.year, data.period.index)
    document = layout.new_document()
    layout.heading(document, heading_of(data))
    layout.title(document, t.REPORT, t.subtitle(period))
    recipient = recipient_of(data)
    if recipient:
        layout.line(document, t.recipient(recipient), align=WD_ALIGN_PARAGRAPH.CENTER, after=Pt(12))
    issuer = t.OUR_CELL if own_cell else issuer_of(data.committee)
    layout.body(document, t.intro(issuer, data.directive, period))
    layout.section_title(document, t.SECTION_RESULTS)
    for paragraph in results(ward, period, rows, own_cell):
        layout.body(document, paragraph)
    layout.section_title(document, t.SECTION_CELL_SHORTFALLS if own_cell else t.SECTION_SHORTFALLS)
    for paragraph in shortfalls(ward, own_cell):
        layout.body(document, paragraph)
    layout.section_title(document, t.SECTION_TASKS)
    for paragraph in tasks(ward, period, data.deadline_day, own_cell):
        layout.body(document, paragraph)
    receivers = (t.RECEIVERS, *(t.RECEIVERS_CELL if own_cell else t.RECEIVERS_WARD))
    signer = data.signer or ""
    block = (t.SIGN_CELL if own_cell else t.SIGN_WARD, t.SECRETARY, signer)
    layout.signatures(document, receivers, block, receivers=True)
    _appendix(document, ward, rows, period, own_cell)
    return layout.to_bytes(document)
