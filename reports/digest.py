"""The committee digest: every cell's figures for a period, gathered from storage and rendered for a phone."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import NamedTuple

from sqlalchemy.ext.asyncio import AsyncConnection

from core.messages import Outbound
from domain.calendar import ReminderSettings, report_deadline
from domain.clock import LOCAL_TZ, as_utc, fmt_date, fmt_datetime
from domain.digest import (
    LATE,
    MISSING,
    NOT_DUE,
    ON_TIME,
    CellDigest,
    DigestSettings,
    FiledReport,
    InspectionOutlook,
    Period,
    PledgeFigures,
    attention,
    attention_first,
    standing_by,
)
from domain.meetings import THEMATIC_KINDS, month_days, month_index, quarter_of
from domain.readiness import Readiness
from reports.readiness import readiness_of_many
from storage import accounts, inspections, org, outbox, pledges, reminders, reports
from storage.db import Database
from storage.org import Cell
from texts import digest as t
from texts import reminders as tr
from texts.report import quarter_label, rate

# A province's figures in one pass: the database counts 5,000 cells at once faster than in ten rounds.
DIGEST_CELLS_PER_QUERY = 5000


@dataclass(frozen=True)
class Undelivered:
    """A reminder of the period that expired or may not have arrived."""

    kind: str
    person: str
    due: str
    unknown: bool


@dataclass(frozen=True)
class Digest:
    """The whole ward for one period: each cell's figures and the reminders that may not have arrived."""

    committee: str
    period: Period
    today: date
    cells: tuple[CellDigest, ...]
    undelivered: tuple[Undelivered, ...]

    @property
    def label(self) -> str:
        """Name the period."""
        return t.period_label(self.period.kind, self.period.year, self.period.index)


def missing_points(ready: Readiness) -> int:
    """Count the points of a readiness checklist still missing."""
    return sum(
        bool(x)
        for x in (
            ready.months_without_report,
            ready.quarters_without_thematic,
            ready.members_without_pledge,
            ready.members_with_vague_items,
            ready.stale_items,
            ready.self_report_missing,
        )
    )


def filed_reports(summaries: list[reports.ReportSummary]) -> list[FiledReport]:
    """Keep what the digest needs of a cell's filed reports."""
    return [
        FiledReport(
            s.year,
            s.month,
            s.kind,
            s.late,
            s.revision,
            s.counts.expected,
            s.counts.present,
            s.counts.absent_without_reason,
        )
        for s in summaries
    ]


def in_batches(cells: Sequence[Cell], size: int) -> Iterator[list[Cell]]:
    """Split a committee's cells into batches, each read with one query per table."""
    for first in range(0, len(cells), size):
        yield list(cells[first : first + size])


async def gather(conn: AsyncConnection, committee_id: int, period: Period, today: date) -> Digest:
    """Gather every cell's figures of a committee for a period, as of today."""
    committee = await org.get_committee(conn, committee_id)
    settings = DigestSettings.from_committee(committee.settings).report
    ids = frozenset({committee_id})
    tasks_by_cell: dict[int, list[inspections.RemedialTask]] = defaultdict(list)
    for task in await inspections.open_tasks(conn, committee_ids=ids):
        tasks_by_cell[task.cell_id].append(task)
    next_inspection: dict[int, inspections.Inspection] = {}
    for planned in await inspections.upcoming(conn, today, committee_ids=ids):
        next_inspection.setdefault(planned.cell_id, planned)
    cells = await org.list_cells(conn, committee_id)
    # A thematic meeting held in any month of the quarters the period touches counts for it.
    (first_year, first_quarter), (last_year, last_quarter) = period.quarters[0], period.quarters[-1]
    quarters = (date(first_year, 3 * first_quarter - 2, 1), month_days(last_year, 3 * last_quarter)[1])
    readiness = await readiness_of_many(conn, list(next_inspection.values()), today)
    outlooks = {
        cell_id: InspectionOutlook(planned.session_on, missing_points(readiness[planned.id]))
        for cell_id, planned in next_inspection.items()
    }
    calendar = Calendar.of(period, today, settings)
    digests = []
    for batch in in_batches(cells, DIGEST_CELLS_PER_QUERY):
        cell_ids = [cell.id for cell in batch]
        filed = await reports.filed_of_cells(conn, cell_ids, (period.start, period.end), quarters)
        figures = await pledges.figures_of_cells(conn, cell_ids, period.year, today)
        digests += [
            cell_digest(
                cell,
                filed[cell.id],
                figures[cell.id],
                tasks_by_cell.get(cell.id, []),
                outlooks.get(cell.id),
                calendar,
            )
            for cell in batch
        ]
    return Digest(
        committee=committee.name,
        period=period,
        today=today,
        cells=tuple(attention_first(digests)),
        undelivered=tuple(await undelivered(conn, committee_id, [cell.id for cell in cells], period)),
    )


class Calendar(NamedTuple):
    """What every cell's standing shares: the period's months, those begun with deadlines, its quarters."""

    months: frozenset[tuple[int, int]]
    due: tuple[tuple[int, int, date], ...]
    quarters: tuple[tuple[int, int], ...]
    today: date

    @classmethod
    def of(cls, period: Period, today: date, settings: ReminderSettings) -> Calendar:
        """Work out the period's deadlines and the quarters begun by today."""
        begun = (today.year, today.month)
        return cls(
            frozenset(period.months),
            tuple((y, m, report_deadline(y, m, settings)) for y, m in period.months if (y, m) <= begun),
            tuple((y, q) for y, q in period.quarters if date(y, 3 * q - 2, 1) <= today),
            today,
        )


def cell_digest(
    cell: Cell,
    filed: list[FiledReport],
    figures: PledgeFigures,
    tasks: list[inspections.RemedialTask],
    outlook: InspectionOutlook | None,
    calendar: Calendar,
) -> CellDigest:
    """Work out a cell's standing for the period from its reports, pledges, tasks and next inspection."""
    today = calendar.today
    in_period = [r for r in filed if (r.year, r.month) in calendar.months]
    months = tuple(standing_by(y, m, deadline, in_period, today) for y, m, deadline in calendar.due)
    thematic_held = {(r.year, quarter_of(r.month)) for r in filed if r.kind in THEMATIC_KINDS}
    thematic = tuple((y, q, (y, q) in thematic_held) for y, q in calendar.quarters)
    overdue_tasks = sum(1 for task in tasks if task.due_on < today)
    expected = present = without = 0
    for r in in_period:
        expected += r.expected
        present += r.present
        without += r.absent_without_reason
    return CellDigest(
        cell_id=cell.id,
        name=cell.name,
        months=months,
        expected=expected,
        present=present,
        absent_without_reason=without,
        thematic=thematic,
        pledges=figures,
        open_tasks=len(tasks),
        overdue_tasks=overdue_tasks,
        inspection=outlook,
        attention=attention(
            months=months,
            expected=expected,
            present=present,
            absent_without_reason=without,
            thematic=thematic,
            pledges=figures,
            overdue_tasks=overdue_tasks,
            inspection=outlook,
            today=today,
        ),
    )


async def undelivered(
    conn: AsyncConnection, committee_id: int, cell_ids: Sequence[int], period: Period
) -> list[Undelivered]:
    """Return the reminders to a committee's people that expired or ended unknown, due in the period or after.

    A month's reports are chased in the month that follows it, so its reminders fall there too.
    """
    next_year, next_month = divmod(month_index(period.end.year, period.end.month) + 1, 12)
    until = month_days(next_year, next_month + 1)[1]
    due = []
    for status in (outbox.EXPIRED, outbox.UNKNOWN):
        for row in await outbox.rows_by_status(conn, status):
            if period.start <= as_utc(row.due_at).astimezone(LOCAL_TZ).date() <= until:
                due.append((row, status == outbox.UNKNOWN))
    if not due:
        # The usual case: nothing to name, so the committee's people need not be looked up.
        return []
    people = {person_id for person_id, _ in await accounts.committee_people(conn, committee_id)}
    for leaders in (await accounts.leaders_of_cells(conn, cell_ids)).values():
        people |= {person_id for person_id, _, _ in leaders}
    found = [
        (row, person_id, unknown)
        for row, unknown in due
        if (person_id := row.person_id) is not None and person_id in people
    ]
    names = await reminders.person_names(conn, sorted({person_id for _, person_id, _ in found}))
    return [
        Undelivered(row.kind, names.get(person_id, "?"), fmt_datetime(row.due_at), unknown)
        for row, person_id, unknown in sorted(found, key=lambda entry: (entry[0].due_at, entry[0].id))
    ]


def _report_line(cell: CellDigest) -> str:
    """Say where a cell's reports stand: one month in words, several as counts."""
    if len(cell.months) == 1:
        month = cell.months[0]
        return t.month_report(month.status, month.amended, fmt_date(month.deadline))
    return t.totals_reports(
        cell.count(ON_TIME), cell.count(LATE), cell.count(MISSING), cell.count(NOT_DUE), cell.amended
    )


def cell_lines(cell: CellDigest) -> list[str]:
    """Render a cell's figures as short lines, the most important first."""
    p = cell.pledges
    lines = [_report_line(cell), t.attendance_line(rate(cell.rate), cell.absent_without_reason)]
    if cell.thematic:
        # A period never spans two years, so its quarters share the first one's year.
        lines.append(t.thematic_cell(cell.thematic[0][0], [(q, held) for _, q, held in cell.thematic]))
    lines += [
        t.pledge_line(p.specific, p.vague, p.none),
        t.items_line(p.done, p.items, p.overdue),
        t.tasks_line(cell.open_tasks, cell.overdue_tasks),
        t.inspection_cell(
            fmt_date(cell.inspection.session_on) if cell.inspection else None,
            cell.inspection.missing if cell.inspection else 0,
        ),
    ]
    return lines


def total_lines(digest: Digest) -> list[str]:
    """Render the ward totals."""
    cells = digest.cells
    expected = sum(c.expected for c in cells)
    present = sum(c.present for c in cells)
    statuses = Counter(month.status for c in cells for month in c.months)
    lines = [
        t.totals_reports(
            statuses[ON_TIME],
            statuses[LATE],
            statuses[MISSING],
            statuses[NOT_DUE],
            sum(c.amended for c in cells),
        ),
        t.attendance_line(
            rate(present / expected if expected else None), sum(c.absent_without_reason for c in cells)
        ),
    ]
    current = (digest.today.year, quarter_of(digest.today.month))
    quarters = [q for q in digest.period.quarters if q <= current]
    if quarters:
        year, quarter = quarters[-1]
        held = sum(1 for c in cells if (year, quarter, True) in c.thematic)
        lines.append(t.thematic_totals(held, len(cells), quarter_label(year, quarter)))
    lines += [
        t.pledge_line(*(sum(getattr(c.pledges, f) for c in cells) for f in ("specific", "vague", "none"))),
        t.items_line(*(sum(getattr(c.pledges, f) for c in cells) for f in ("done", "items", "overdue"))),
        t.tasks_line(sum(c.open_tasks for c in cells), sum(c.overdue_tasks for c in cells)),
        t.inspections_totals(
            sum(1 for c in cells if c.inspection),
            sum(1 for c in cells if c.inspection and c.inspection.missing),
        ),
    ]
    return lines


def render(digest: Digest) -> str:
    """Render the digest: ward totals, cells needing attention, the others, then undelivered reminders."""
    if not digest.cells:
        return t.no_cells()
    lines = [t.heading(digest.label, digest.committee, fmt_date(digest.today), len(digest.cells)), ""]
    lines += total_lines(digest)
    flagged = [c for c in digest.cells if c.attention]
    others = [c for c in digest.cells if not c.attention]
    lines += ["", t.attention_heading(len(flagged)) if flagged else t.NO_ATTENTION]
    for number, cell in enumerate(flagged, start=1):
        lines += ["", *t.cell_heading(number, cell.name, cell.attention), *cell_lines(cell)]
    if others:
        lines += ["", t.others_heading(len(others))]
        for number, cell in enumerate(others, start=len(flagged) + 1):
            lines += ["", *t.cell_heading(number, cell.name, ()), *cell_lines(cell)]
    if digest.undelivered:
        lines += ["", t.undelivered_heading(len(digest.undelivered))]
        lines += [
            tr.undelivered_line(
                u.kind, u.person, u.due, tr.UNDELIVERED_UNKNOWN if u.unknown else tr.UNDELIVERED_EXPIRED
            )
            for u in digest.undelivered
        ]
    return "\n".join(lines)


async def build_message(db: Database, committee_id: int, period: Period, today: date) -> Outbound:
    """Gather and render a digest from a snapshot, away from the event loop."""
    return Outbound(await db.off_loop(partial(_built, committee_id=committee_id, period=period, today=today)))


async def _built(db: Database, *, committee_id: int, period: Period, today: date) -> str:
    """Gather and render a digest from a snapshot of the database."""
    async with db.read() as conn:
        return render(await gather(conn, committee_id, period, today))
