"""The XLSX export: reports, pledges, inspections and remedial tasks, one sheet each, Vietnamese headers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import date, datetime
from typing import Any, BinaryIO, TypeVar

from domain.attendance import ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON
from domain.clock import LOCAL_TZ, as_utc, fmt_date
from reports.export_data import ExportData, PledgeRow, ReportRow
from reports.spreadsheet import Sheet, Workbook
from storage.inspections import Inspection, RemedialTask
from storage.pledges import Evidence
from texts import exports as t
from texts import pledges as tp
from texts import report as tr
from texts.digest import period_label

T = TypeVar("T")


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
    summary, counts = report.summary, report.summary.counts
    with_reason = "; ".join(
        f"{a.name} ({a.reason})" for a in report.absences if a.status == ABSENT_WITH_REASON
    )
    without_reason = "; ".join(a.name for a in report.absences if a.status == ABSENT_WITHOUT_REASON)
    return [
        *head,
        tr.KIND_LABELS[summary.kind],
        report.topic,
        summary.meeting_date,
        report.start_time,
        report.end_time,
        report.place,
        report.chair,
        report.minutes_taker,
        report.guests,
        counts.total,
        counts.excused,
        counts.present,
        counts.absent_with_reason,
        counts.absent_without_reason,
        counts.rate,
        with_reason,
        without_reason,
        report.study,
        report.documents,
        report.review,
        report.resolution,
        report.vote_for,
        report.vote_against,
        report.vote_total,
        tr.QUALITY_LABELS[report.quality],
        _local(report.submitted_at),
        summary.revision - 1,
    ]


def _evidence(given: Evidence) -> str:
    """Describe one piece of evidence as the chat showed it, with its day."""
    if given.kind == "photo":
        shown = tp.evidence_photo()
    elif given.kind == "document":
        shown = tp.evidence_file(given.name)
    else:
        shown = given.text or ""
    if given.kind != "text" and given.text:
        shown = f"{shown} — {given.text}"
    return t.evidence_line(fmt_date(given.updated_on), shown)


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
        tp.STATUS_CHOICES[item.status],
        t.YES if row.overdue else None,
        item.updated_on,
        item.note,
        "\n".join(_evidence(e) for e in row.evidence) or None,
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


async def _fill(sheet: Sheet, batches: AsyncIterator[list[T]], cells: Callable[[T], list[Any]]) -> None:
    """Write every batch of rows to a sheet, reading the next batch while the last one is written."""
    # Writing runs in a thread so that other chats are served meanwhile; the database reads the
    # next batch at the same time. One write at a time keeps the sheet's rows in order.
    writing: asyncio.Future[None] | None = None
    try:
        async for batch in batches:
            if writing is not None:
                await writing
            writing = asyncio.ensure_future(asyncio.to_thread(_append, sheet, batch, cells))
    finally:
        if writing is not None:
            await writing


def _append(sheet: Sheet, rows: Iterable[T], cells: Callable[[T], list[Any]]) -> None:
    """Append rows to a sheet."""
    for row in rows:
        sheet.append(cells(row))


async def _listed(rows: Iterable[T]) -> AsyncIterator[list[T]]:
    """Yield rows already in memory as one batch."""
    yield list(rows)


async def write_xlsx(data: ExportData, out: BinaryIO) -> None:
    """Write the export as an XLSX workbook, streaming each sheet's rows as they are read."""
    period = period_label(data.period.kind, data.period.year, data.period.index)
    unit = data.cell or data.committee
    book = Workbook(out, title=f"{unit} — {period}")

    def sheet(name: str, headers: tuple[str, ...]) -> Sheet:
        """Start a sheet under its title and period lines."""
        titles = (t.sheet_title(name, unit), t.sheet_period(period, fmt_date(data.today)))
        return book.add_sheet(name, headers, titles)

    await _fill(sheet(t.SHEET_REPORTS, t.REPORT_HEADERS), data.reports(), _report_row)
    await _fill(sheet(t.SHEET_PLEDGES, t.PLEDGE_HEADERS), data.pledges(), _pledge_row)
    await _fill(sheet(t.SHEET_INSPECTIONS, t.INSPECTION_HEADERS), _listed(data.inspections), _inspection_row)
    await _fill(
        sheet(t.SHEET_TASKS, t.TASK_HEADERS), _listed(data.tasks), lambda task: _task_row(task, data.today)
    )
    await asyncio.to_thread(book.close)
