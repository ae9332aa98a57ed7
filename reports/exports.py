"""Exports: gather a ward's or a cell's data for a period, and write it as XLSX or DOCX."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import Clock, local_today
from core.parsing import normalize
from domain import pledges as pledge_rules
from domain.digest import DigestSettings, MonthStanding, Period, month_standing
from reports import digest
from reports.digest import Digest
from storage import inspections, org, pledges, reports
from storage.db import Database
from storage.inspections import Inspection, RemedialTask
from storage.pledges import Item, Review
from storage.reports import Report

XLSX = "xlsx"
DOCX = "docx"
FORMATS = (XLSX, DOCX)

_PLACE = re.compile(r"\b(?:phuong|xa|thi tran|thi xa)\s+", re.ASCII)


@dataclass(frozen=True)
class Scope:
    """What to export: a committee's whole ward, or one of its cells."""

    committee_id: int
    cell_id: int | None = None


@dataclass(frozen=True)
class ReportRow:
    """One cell's month: where its report stands and, when filed, the report itself."""

    cell: str
    standing: MonthStanding
    report: Report | None


@dataclass(frozen=True)
class PledgeRow:
    """One pledge item of a member (or the member alone when they registered none) with their reviews."""

    cell: str
    member: str
    year: int
    item: Item | None
    overdue: bool
    mid_year: Review | None
    year_end: Review | None


@dataclass(frozen=True)
class ExportData:
    """Everything an export writes, gathered once."""

    committee: str
    place: str
    recipient: str | None
    signer: str | None
    directive: str | None
    cell: str | None
    period: Period
    today: date
    digest: Digest
    reports: tuple[ReportRow, ...]
    pledges: tuple[PledgeRow, ...]
    inspections: tuple[Inspection, ...]
    tasks: tuple[RemedialTask, ...]


def place_of(committee_name: str) -> str:
    """Return the place a committee writes from: the ward's name in «Đảng bộ phường Phúc Lợi»."""
    words = committee_name.split()
    match = _PLACE.search(normalize(committee_name))
    if match is None:
        return committee_name
    # Normalizing keeps one character per word, so the word count locates the name in the original.
    return " ".join(words[len(normalize(committee_name)[: match.end()].split()) :])


async def gather(conn: AsyncConnection, scope: Scope, period: Period, today: date) -> ExportData:
    """Gather the reports, pledges, inspections, tasks and digest of a scope for a period."""
    committee = await org.get_committee(conn, scope.committee_id)
    settings = DigestSettings.from_committee(committee.settings).report
    ward = await digest.gather(conn, scope.committee_id, period, today)
    cells = await org.list_cells(conn, scope.committee_id)
    if scope.cell_id is not None:
        cells = [c for c in cells if c.id == scope.cell_id]
        ward = replace(ward, cells=tuple(c for c in ward.cells if c.cell_id == scope.cell_id), undelivered=())
    months = [(y, m) for y, m in period.months if date(y, m, 1) <= today]
    report_rows: list[ReportRow] = []
    pledge_rows: list[PledgeRow] = []
    for cell in cells:
        summaries = await reports.list_reports(conn, cell.id)
        filed = digest.filed_reports(summaries)
        for year, month in months:
            standing = month_standing(year, month, filed, today, settings)
            found = sorted(s.id for s in summaries if (s.year, s.month) == (year, month))
            if not found:
                report_rows.append(ReportRow(cell.name, standing, None))
            for report_id in found:
                report_rows.append(ReportRow(cell.name, standing, await reports.get_report(conn, report_id)))
        roster = await org.list_members(conn, cell.id)
        ids = [m.id for m in roster]
        items = await pledges.items_by_member(conn, ids, period.year)
        mid = await pledges.reviews_by_member(conn, ids, period.year, pledge_rules.MID_YEAR)
        end = await pledges.reviews_by_member(conn, ids, period.year, pledge_rules.YEAR_END)
        for member in roster:
            reviews = (mid.get(member.id), end.get(member.id))
            for item in items[member.id] or [None]:
                overdue = item is not None and pledge_rules.is_overdue(item.deadline, item.status, today)
                pledge_rows.append(
                    PledgeRow(cell.name, member.full_name, period.year, item, overdue, *reviews)
                )
    cell_ids = [c.id for c in cells]
    theme = await org.get_year_theme(conn, scope.committee_id, period.year)
    return ExportData(
        committee=committee.name,
        place=committee.settings.get("place") or place_of(committee.name),
        recipient=committee.settings.get("report_recipient"),
        signer=committee.settings.get("signer"),
        directive=theme.directive if theme else None,
        cell=cells[0].name if scope.cell_id is not None and cells else None,
        period=period,
        today=today,
        digest=ward,
        reports=tuple(report_rows),
        pledges=tuple(pledge_rows),
        inspections=tuple(await inspections.inspections_between(conn, cell_ids, period.start, period.end)),
        tasks=tuple(await inspections.tasks_of_cells(conn, cell_ids)),
    )


def file_name(data: ExportData, fmt: str) -> str:
    """Name an export file in plain ASCII: «tong-hop-2015-08.xlsx», «chi-bo-12-2015-q3.docx»."""
    who = normalize(data.cell) if data.cell else "tong hop"
    slug = re.sub(r"[^a-z0-9]+", "-", who).strip("-")
    return f"{slug}-{data.period.key}.{fmt}"


def render(data: ExportData, fmt: str) -> bytes:
    """Write the gathered data in a format."""
    if fmt == XLSX:
        from reports.xlsx import write_xlsx

        return write_xlsx(data)
    from reports.docx import write_docx

    return write_docx(data)


async def export_to_dir(
    db: Database, clock: Clock, scope: Scope, period: Period, fmt: str, out_dir: Path
) -> Path:
    """Write one export to a directory and return its path (the command line's `export`)."""
    async with db.begin() as conn:
        data = await gather(conn, scope, period, local_today(clock))
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / file_name(data, fmt)
    path.write_bytes(render(data, fmt))
    return path
