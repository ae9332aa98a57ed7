"""The exports' data: a ward's or a cell's reports, pledges, inspections and tasks for a period."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import NamedTuple, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from domain import pledges as pledge_rules
from domain.calendar import ReminderSettings
from domain.digest import DigestSettings, MonthStanding, Period, month_standing
from domain.identity import SECRETARY
from domain.words import normalize
from reports import digest
from reports.digest import Digest, in_batches
from storage import accounts, inspections, org, pledges, reports
from storage.inspections import Inspection, RemedialTask
from storage.org import Cell
from storage.pledges import Evidence, Item, Review
from storage.reports import ReportRecord

_PLACE = re.compile(r"\b(?:phuong|xa|thi tran|thi xa)\s+", re.ASCII)
# Cells whose rows are read and written together: few queries, and a province never whole in memory.
EXPORT_CELLS_PER_QUERY = 250

T = TypeVar("T")


@dataclass(frozen=True)
class Scope:
    """What to export: a committee's whole ward, or one of its cells."""

    committee_id: int
    cell_id: int | None = None


class ReportRow(NamedTuple):
    """One cell's month: where its report stands and, when filed, the report itself."""

    cell: str
    standing: MonthStanding
    report: ReportRecord | None


class PledgeRow(NamedTuple):
    """One pledge item of a member (or the member alone when they registered none) with their reviews."""

    # A NamedTuple: a province's export writes a quarter of a million of these.
    cell: str
    member: str
    year: int
    item: Item | None
    overdue: bool
    mid_year: Review | None
    year_end: Review | None
    evidence: tuple[Evidence, ...]


RowBatches = Callable[[], AsyncIterator[list[T]]]


@dataclass(frozen=True)
class ExportData:
    """Everything an export writes; the digest and the rows are read only by the format that writes them.

    They are read through the connection the data was gathered with, so they are written before it closes;
    the rows come batch by batch, so that a province is never in memory at once.
    """

    committee: str
    superior_body: str | None
    place: str
    recipient: str | None
    # The committee's signer for the ward, the cell's secretary for a cell.
    signer: str | None
    deadline_day: int
    directive: str | None
    cell: str | None
    cell_id: int | None
    period: Period
    today: date
    digest: Callable[[], Awaitable[Digest]]
    reports: RowBatches[ReportRow]
    pledges: RowBatches[PledgeRow]
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
    """Gather the inspections and tasks of a scope for a period, and the readers of its digest and rows."""
    committee = await org.get_committee(conn, scope.committee_id)
    settings = DigestSettings.from_committee(committee.settings).report
    cells = await org.list_cells(conn, scope.committee_id)
    if scope.cell_id is not None:
        cells = [c for c in cells if c.id == scope.cell_id]
    cell_ids = [c.id for c in cells]
    theme = await org.get_year_theme(conn, scope.committee_id, period.year)
    signer = committee.settings.get("signer")
    if scope.cell_id is not None:
        leaders = await accounts.cell_leaders(conn, scope.cell_id)
        signer = next((name for _, name, role in leaders if role == SECRETARY), None)
    return ExportData(
        committee=committee.name,
        superior_body=committee.settings.get("superior_body"),
        place=committee.settings.get("place") or place_of(committee.name),
        recipient=committee.settings.get("report_recipient"),
        signer=signer,
        deadline_day=settings.report_deadline_day,
        directive=theme.directive if theme else None,
        cell=cells[0].name if scope.cell_id is not None and cells else None,
        cell_id=scope.cell_id,
        period=period,
        today=today,
        digest=partial(scope_digest, conn, scope, period, today),
        reports=partial(report_rows, conn, cells, period, today, settings),
        pledges=partial(pledge_rows, conn, cells, period.year, today),
        inspections=tuple(await inspections.inspections_between(conn, cell_ids, period.start, period.end)),
        tasks=tuple(await inspections.tasks_of_cells(conn, cell_ids)),
    )


async def scope_digest(conn: AsyncConnection, scope: Scope, period: Period, today: date) -> Digest:
    """Gather the digest of a committee, or of one of its cells, for a period."""
    ward = await digest.gather(conn, scope.committee_id, period, today)
    if scope.cell_id is None:
        return ward
    return replace(ward, cells=tuple(c for c in ward.cells if c.cell_id == scope.cell_id), undelivered=())


async def report_rows(
    conn: AsyncConnection, cells: list[Cell], period: Period, today: date, settings: ReminderSettings
) -> AsyncIterator[list[ReportRow]]:
    """Yield each cell's months of the period up to today, a batch of cells at a time: reports or gaps."""
    months = [(y, m) for y, m in period.months if date(y, m, 1) <= today]
    for batch in in_batches(cells, EXPORT_CELLS_PER_QUERY):
        records = await reports.records_of_cells(conn, [c.id for c in batch], (period.start, period.end))
        rows = []
        for cell in batch:
            filed = digest.filed_reports([r.summary for r in records[cell.id]])
            by_month: dict[tuple[int, int], list[ReportRecord]] = defaultdict(list)
            for record in records[cell.id]:
                by_month[record.summary.year, record.summary.month].append(record)
            for year, month in months:
                standing = month_standing(year, month, filed, today, settings)
                rows += [ReportRow(cell.name, standing, r) for r in by_month[year, month]] or [
                    ReportRow(cell.name, standing, None)
                ]
        yield rows


async def pledge_rows(
    conn: AsyncConnection, cells: list[Cell], year: int, today: date
) -> AsyncIterator[list[PledgeRow]]:
    """Yield every current member's items of the year (or the member alone), a batch of cells at a time."""
    for batch in in_batches(cells, EXPORT_CELLS_PER_QUERY):
        ids = [c.id for c in batch]
        rosters = await org.rosters(conn, ids)
        items = await pledges.items_of_cells(conn, ids, year)
        mid = await pledges.reviews_of_cells(conn, ids, year, pledge_rules.MID_YEAR)
        end = await pledges.reviews_of_cells(conn, ids, year, pledge_rules.YEAR_END)
        evidence = await pledges.evidence_of_cells(conn, ids, year)
        rows = []
        for cell in batch:
            for member in rosters[cell.id]:
                reviews = (mid.get(member.id), end.get(member.id))
                # A member with no items still gets a row of their own.
                member_items: Sequence[Item | None] = items.get(member.id) or (None,)
                for item in member_items:
                    overdue = item is not None and pledge_rules.is_overdue(item.deadline, item.status, today)
                    given = tuple(evidence.get(item.id, ())) if item is not None else ()
                    rows.append(PledgeRow(cell.name, member.full_name, year, item, overdue, *reviews, given))
        yield rows
