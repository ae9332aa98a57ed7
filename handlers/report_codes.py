"""Report codes and lists: how a filed report is named («BC0007»), picked from a list, or typed."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from core.messages import Option
from core.parsing import ParseError
from domain.calendar import ReminderSettings, report_deadline
from domain.clock import fmt_month
from domain.words import normalize
from storage import org, reports
from texts import report as t

# Buttons for a list of reports: the newest ones; older ones are opened by their code.
REPORT_OPTIONS = 12


_CODE = re.compile(rf"(?:{normalize(t.CODE_PREFIX)})?-?(\d{{1,9}})", re.ASCII)


def report_code(report_id: int) -> str:
    """Return the code a report is known by: «BC0007»."""
    return f"{t.CODE_PREFIX}{report_id:04d}"


def parse_report_code(text: str) -> int | None:
    """Return the report id a typed code names ("BC0007", "bc7", "7"), or None."""
    match = _CODE.fullmatch(normalize(text).replace(" ", ""))
    return int(match[1]) if match else None


def month_value(year: int, month: int) -> str:
    """Return the stored form of a month: "2015-08"."""
    return f"{year:04d}-{month:02d}"


def month_of(value: str) -> tuple[int, int]:
    """Read a stored month back."""
    year, month = value.split("-")
    return int(year), int(month)


async def deadline_of(conn: AsyncConnection, cell_id: int, year: int, month: int) -> date:
    """Return the deadline of a cell's report for a month, by its committee's setting."""
    cell = await org.get_cell(conn, cell_id)
    committee = await org.get_committee(conn, cell.committee_id)
    return report_deadline(year, month, ReminderSettings.from_committee(committee.settings))


def report_option(summary: reports.ReportSummary) -> Option:
    """Offer one filed report in a list, by month, kind, timeliness and attendance."""
    status = t.STATUS_LATE if summary.late else t.STATUS_ON_TIME
    if summary.revision > 1:
        status = f"{status}, {t.STATUS_AMENDED}"
    label = t.report_option(
        fmt_month(summary.year, summary.month),
        t.KIND_LABELS[summary.kind],
        status,
        t.rate(summary.counts.rate),
    )
    return Option(label, str(summary.id))


async def cell_report_options(conn: AsyncConnection, cell_id: int) -> list[Option]:
    """Offer a cell's newest filed reports."""
    return [report_option(s) for s in (await reports.list_reports(conn, cell_id))[:REPORT_OPTIONS]]


async def report_in_cell(conn: AsyncConnection, cell_id: int, text: str) -> str:
    """Return the id (as text) of the cell's report a typed code names, or refuse it."""
    report_id = parse_report_code(text)
    report = await reports.get_report(conn, report_id) if report_id is not None else None
    if report is None or report.cell_id != cell_id:
        raise ParseError(t.code_unknown(text))
    return str(report.id)
