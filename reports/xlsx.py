"""The XLSX export: reports, pledges, inspections and remedial tasks, one sheet each, Vietnamese headers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from core.clock import LOCAL_TZ, as_utc
from domain.attendance import ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON
from reports.exports import ExportData, PledgeRow, ReportRow
from storage.inspections import Inspection, RemedialTask
from texts import exports as t
from texts import report as tr
from texts.digest import period_label

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "HH:MM DD/MM/YYYY"
PERCENT_FORMAT = "0.0%"
MIN_WIDTH = 8
MAX_WIDTH = 50


def _local(moment: datetime) -> datetime:
    """Return a stored UTC moment as a naive local time, which spreadsheets show as it is."""
    return as_utc(moment).astimezone(LOCAL_TZ).replace(tzinfo=None)


def _report_row(row: ReportRow) -> list[Any]:
    """Return the cells of one report row; only the standing when nothing was filed."""
    standing = row.standing
    head = [
        row.cell,
        f"{standing.month}/{standing.year}",
        t.MONTH_STATUS[standing.status],
        standing.deadline,
    ]
    report = row.report
    if report is None:
        return head
    content, counts, names = report.content, report.content.counts, report.names
    with_reason = "; ".join(
        f"{names[e.member_id]} ({e.reason})" for e in content.attendance if e.status == ABSENT_WITH_REASON
    )
    without_reason = "; ".join(
        names[e.member_id] for e in content.attendance if e.status == ABSENT_WITHOUT_REASON
    )
    return head + [
        tr.KIND_LABELS[content.kind],
        content.topic,
        content.meeting_date,
        content.start_time,
        content.place,
        names[content.chair_member_id],
        names[content.minutes_member_id],
        counts.total,
        counts.excused,
        counts.present,
        counts.absent_with_reason,
        counts.absent_without_reason,
        counts.rate,
        with_reason,
        without_reason,
        content.study,
        content.documents,
        content.review,
        content.resolution,
        tr.QUALITY_LABELS[content.quality],
        _local(report.submitted_at),
        report.revision - 1,
    ]


def _pledge_row(row: PledgeRow) -> list[Any]:
    """Return the cells of one pledge item row."""
    reviews = [
        row.mid_year.assessment if row.mid_year else None,
        row.year_end.assessment if row.year_end else None,
        row.year_end.ranking if row.year_end else None,
    ]
    item = row.item
    if item is None:
        return [
            row.cell,
            row.member,
            row.year,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            t.NO_PLEDGE,
            None,
            None,
            None,
            None,
            *reviews,
        ]
    return [
        row.cell,
        row.member,
        row.year,
        item.position,
        item.action,
        item.duty,
        item.indicator,
        item.milestones,
        item.deadline,
        item.evidence,
        t.VAGUE if item.vague else t.SPECIFIC,
        t.ITEM_STATUS[item.status],
        t.YES if row.overdue else None,
        item.updated_on,
        item.note,
        *reviews,
    ]


def _inspection_row(inspection: Inspection) -> list[Any]:
    """Return the cells of one inspection row."""
    return [
        inspection.cell_name,
        inspection.session_on,
        inspection.content,
        inspection.period_start,
        inspection.period_end,
        inspection.documents,
        t.INSPECTION_STATUS.get(inspection.status, inspection.status),
        _local(inspection.self_report_at) if inspection.self_report_at else None,
        inspection.strengths,
        inspection.limitations,
        inspection.recommendations,
    ]


def _task_row(task: RemedialTask, today: date) -> list[Any]:
    """Return the cells of one remedial task row."""
    overdue = task.status == "open" and task.due_on < today
    return [
        task.cell_name,
        task.description,
        task.due_on,
        t.TASK_STATUS.get(task.status, task.status),
        t.YES if overdue else None,
        task.updates,
        _local(task.created_at).date(),
    ]


def _shown_length(value: Any) -> int:
    """Return about how many characters a cell shows."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, date):
        return len(DATE_FORMAT)
    return max(len(line) for line in str(value).split("\n"))


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell:
    """Wrap a value in a cell that shows dates as dates and fractions as percentages."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, float):
        cell.number_format = PERCENT_FORMAT
    return cell


def _sheet(sheet: WriteOnlyWorksheet, headers: Sequence[str], rows: Iterable[list[Any]]) -> None:
    """Fill a sheet: bold frozen headers, dates as dates, widths from the content within bounds."""
    # A write-only sheet streams rows out, so widths are settled from every row before the first.
    rows = list(rows)
    widths = [len(h) for h in headers]
    for values in rows:
        for index, value in enumerate(values):
            widths[index] = max(widths[index], _shown_length(value))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header_cells.append(cell)
    sheet.append(header_cells)
    for values in rows:
        sheet.append([_cell(sheet, value) for value in values])


def write_xlsx(data: ExportData) -> bytes:
    """Write the export as an XLSX workbook."""
    # Write-only: a province's workbook would otherwise hold millions of cell objects at once.
    book = Workbook(write_only=True)
    _sheet(book.create_sheet(t.SHEET_REPORTS), t.REPORT_HEADERS, (_report_row(r) for r in data.reports))
    _sheet(book.create_sheet(t.SHEET_PLEDGES), t.PLEDGE_HEADERS, (_pledge_row(r) for r in data.pledges))
    _sheet(
        book.create_sheet(t.SHEET_INSPECTIONS),
        t.INSPECTION_HEADERS,
        (_inspection_row(i) for i in data.inspections),
    )
    _sheet(
        book.create_sheet(t.SHEET_TASKS), t.TASK_HEADERS, (_task_row(task, data.today) for task in data.tasks)
    )
    period = period_label(data.period.kind, data.period.year, data.period.index)
    book.properties.title = f"{data.cell or data.committee} — {period}"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
