"""Monthly meeting reports: what each filed report says, who attended, and every revision.

Only submitted reports live here; unfinished ones are the form engine's drafts.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.attendance import ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON, Attendance, tally
from domain.collation import vietnamese_key
from domain.digest import FiledReport
from domain.meetings import REGULAR, THEMATIC_KINDS, month_index
from storage.sql import among, delete_where, inserted_id, rows_where
from storage.tables import cells, members, metadata, people
from storage.types import UtcDateTime

meeting_reports = sa.Table(
    "meeting_reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("cell_id", sa.ForeignKey("cells.id"), nullable=False, index=True),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("month", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("meeting_date", sa.Date, nullable=False),
    sa.Column("start_time", sa.String(5)),
    sa.Column("end_time", sa.String(5)),
    sa.Column("place", sa.String(300)),
    sa.Column("guests", sa.Text),
    sa.Column("topic", sa.Text),
    sa.Column("chair_member_id", sa.ForeignKey("members.id"), nullable=False),
    sa.Column("minutes_member_id", sa.ForeignKey("members.id"), nullable=False),
    sa.Column("study", sa.Text),
    sa.Column("documents", sa.Text),
    sa.Column("review", sa.Text, nullable=False),
    sa.Column("resolution", sa.Text, nullable=False),
    sa.Column("quality", sa.String(20), nullable=False),
    sa.Column("vote_for", sa.Integer),
    sa.Column("vote_against", sa.Integer),
    # The full members present, who alone vote on the resolution (candidates do not).
    sa.Column("vote_total", sa.Integer),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("excused", sa.Integer, nullable=False),
    sa.Column("present", sa.Integer, nullable=False),
    sa.Column("absent_without_reason", sa.Integer, nullable=False, server_default="0"),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("late", sa.Boolean, nullable=False),
    sa.Column("submitted_by", sa.ForeignKey("people.id"), nullable=False),
    sa.Column("submitted_at", UtcDateTime(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.UniqueConstraint("cell_id", "year", "month", "kind", name="uq_meeting_reports_cell_month_kind"),
)

meeting_attendance = sa.Table(
    "meeting_attendance",
    metadata,
    sa.Column("report_id", sa.ForeignKey("meeting_reports.id"), primary_key=True),
    sa.Column("member_id", sa.ForeignKey("members.id"), primary_key=True, index=True),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("reason", sa.String(300)),
    # An export reads each report's absences alone (migration 0019).
    sa.Index("ix_meeting_attendance_report_id_status", "report_id", "status"),
)

meeting_report_revisions = sa.Table(
    "meeting_report_revisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("report_id", sa.ForeignKey("meeting_reports.id"), nullable=False, index=True),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Column("person_id", sa.ForeignKey("people.id"), nullable=False),
    sa.Column("account_id", sa.ForeignKey("accounts.id")),
    sa.Column("changes", sa.JSON, nullable=False),
    sa.Column("snapshot", sa.JSON, nullable=False),
    sa.UniqueConstraint("report_id", "revision", name="uq_meeting_report_revisions_report_revision"),
)


@dataclass(frozen=True)
class AttendanceEntry:
    """One roster member at one meeting."""

    member_id: int
    status: str
    reason: str | None = None


@dataclass(frozen=True)
class ReportContent:
    """Everything a secretary files about one meeting."""

    year: int
    month: int
    kind: str
    meeting_date: date
    start_time: str | None
    place: str | None
    topic: str | None
    chair_member_id: int
    minutes_member_id: int
    study: str | None
    documents: str | None
    review: str
    resolution: str
    quality: str
    # One entry per roster member of the meeting day, ordered by member id so versions compare equal.
    attendance: tuple[AttendanceEntry, ...]
    # Asked since the minutes are written from the report; older reports have none of them.
    end_time: str | None = None
    guests: str | None = None
    vote_for: int | None = None
    vote_against: int | None = None
    vote_total: int | None = None

    @property
    def counts(self) -> Attendance:
        """Return the attendance counts of this meeting."""
        return tally(entry.status for entry in self.attendance)

    def changed_fields(self, before: ReportContent) -> list[str]:
        """Return the names of the fields that differ from an earlier version."""
        return [f.name for f in fields(self) if getattr(self, f.name) != getattr(before, f.name)]

    def snapshot(self) -> dict:
        """Return the content as JSON-ready data, for the revision history."""
        data = asdict(self)
        data["meeting_date"] = self.meeting_date.isoformat()
        return data


@dataclass(frozen=True)
class Report:
    """A filed report: its content, where it stands, and the names of the people it mentions."""

    id: int
    cell_id: int
    content: ReportContent
    revision: int
    late: bool
    submitted_at: datetime
    updated_at: datetime
    names: dict[int, str]

    def absent(self, status: str) -> list[AttendanceEntry]:
        """Return the attendance entries with that status, in the roster's Vietnamese order of names."""
        entries = [e for e in self.content.attendance if e.status == status]
        return sorted(entries, key=lambda e: (vietnamese_key(self.names[e.member_id]), e.member_id))


class ReportSummary(NamedTuple):
    """One line of a cell's list of reports."""

    # A NamedTuple, built cheaply: a province's digest and export read tens of thousands.
    id: int
    cell_id: int
    year: int
    month: int
    kind: str
    meeting_date: date
    late: bool
    revision: int
    counts: Attendance


class Absence(NamedTuple):
    """A member absent from a meeting, with or without a reason."""

    name: str
    status: str
    reason: str | None


@dataclass(frozen=True)
class ReportRecord:
    """A filed report as a register lists it: its summary, what it says, and who was absent."""

    summary: ReportSummary
    topic: str | None
    start_time: str | None
    place: str | None
    chair: str
    minutes_taker: str
    study: str | None
    documents: str | None
    review: str
    resolution: str
    quality: str
    submitted_at: datetime
    end_time: str | None
    guests: str | None
    vote_for: int | None
    vote_against: int | None
    vote_total: int | None
    absences: tuple[Absence, ...]


@dataclass(frozen=True)
class Revision:
    """One version of a report: who filed it, when, and which fields it changed."""

    revision: int
    at: datetime
    person_id: int
    person_name: str
    changes: list[str]


def content_columns(content: ReportContent) -> dict:
    """Return the report columns that hold a content, its attendance counts included."""
    counts = content.counts
    values = {f.name: getattr(content, f.name) for f in fields(content) if f.name != "attendance"}
    return {
        **values,
        "total": counts.total,
        "excused": counts.excused,
        "present": counts.present,
        "absent_without_reason": counts.absent_without_reason,
    }


async def _write_attendance(conn: AsyncConnection, report_id: int, content: ReportContent) -> None:
    """Replace the attendance rows of a report."""
    await delete_where(conn, meeting_attendance, report_id=report_id)
    await conn.execute(
        meeting_attendance.insert(),
        [
            {"report_id": report_id, "member_id": e.member_id, "status": e.status, "reason": e.reason}
            for e in content.attendance
        ],
    )


async def _add_revision(
    conn: AsyncConnection,
    report_id: int,
    revision: int,
    content: ReportContent,
    changes: list[str],
    *,
    now: datetime,
    person_id: int,
    account_id: int | None,
) -> None:
    """Keep one version of a report."""
    revision_row = {
        "report_id": report_id,
        "revision": revision,
        "at": now,
        "person_id": person_id,
        "account_id": account_id,
        "changes": changes,
        "snapshot": content.snapshot(),
    }
    await conn.execute(meeting_report_revisions.insert(), revision_row)


async def create_report(
    conn: AsyncConnection,
    cell_id: int,
    content: ReportContent,
    *,
    late: bool,
    now: datetime,
    person_id: int,
    account_id: int | None,
) -> int:
    """File a new report as its first revision and return its id."""
    row = {
        "cell_id": cell_id,
        "revision": 1,
        "late": late,
        "submitted_by": person_id,
        "submitted_at": now,
        "updated_at": now,
        **content_columns(content),
    }
    report_id = inserted_id(await conn.execute(meeting_reports.insert(), row))
    await _write_attendance(conn, report_id, content)
    await _add_revision(conn, report_id, 1, content, [], now=now, person_id=person_id, account_id=account_id)
    return report_id


async def amend_report(
    conn: AsyncConnection,
    report_id: int,
    content: ReportContent,
    changes: list[str],
    *,
    now: datetime,
    person_id: int,
    account_id: int | None,
) -> int:
    """Replace a report's content, keeping the change as a new revision; return its number."""
    current = (
        await conn.execute(sa.select(meeting_reports.c.revision).where(meeting_reports.c.id == report_id))
    ).scalar_one()
    revision = current + 1
    await conn.execute(
        meeting_reports.update()
        .where(meeting_reports.c.id == report_id)
        .values(revision=revision, updated_at=now, **content_columns(content))
    )
    await _write_attendance(conn, report_id, content)
    await _add_revision(
        conn, report_id, revision, content, changes, now=now, person_id=person_id, account_id=account_id
    )
    return revision


async def get_report(conn: AsyncConnection, report_id: int) -> Report | None:
    """Return a filed report with its attendance, or None."""
    row = (await rows_where(conn, meeting_reports, id=report_id)).first()
    if row is None:
        return None
    attendance = (await conn.execute(_attendance_query(), {"report_id": report_id})).all()
    names = {a.member_id: a.full_name for a in attendance}
    for member_id in (row.chair_member_id, row.minutes_member_id):
        if member_id not in names:
            query = sa.select(members.c.full_name).where(members.c.id == member_id)
            names[member_id] = (await conn.execute(query)).scalar_one()
    content = ReportContent(
        year=row.year,
        month=row.month,
        kind=row.kind,
        meeting_date=row.meeting_date,
        start_time=row.start_time,
        place=row.place,
        topic=row.topic,
        chair_member_id=row.chair_member_id,
        minutes_member_id=row.minutes_member_id,
        study=row.study,
        documents=row.documents,
        review=row.review,
        resolution=row.resolution,
        quality=row.quality,
        attendance=tuple(AttendanceEntry(a.member_id, a.status, a.reason) for a in attendance),
        end_time=row.end_time,
        guests=row.guests,
        vote_for=row.vote_for,
        vote_against=row.vote_against,
        vote_total=row.vote_total,
    )
    return Report(
        id=row.id,
        cell_id=row.cell_id,
        content=content,
        revision=row.revision,
        late=row.late,
        submitted_at=row.submitted_at,
        updated_at=row.updated_at,
        names=names,
    )


@dataclass(frozen=True)
class Usual:
    """What a cell's last report said about how it meets, for filling the next one in advance."""

    report_id: int
    year: int
    month: int
    start_time: str | None
    end_time: str | None
    place: str | None
    guests: str | None
    chair_member_id: int
    chair_name: str
    minutes_member_id: int
    minutes_name: str
    # Whether the month asked about still has no regular report.
    regular_free: bool


@functools.cache
def _attendance_query() -> sa.Select:
    """Build, once, the statement reading a report's attendance with the members' names."""
    # Built once: filing a report reads it back, and building it costs more than running it.
    return (
        sa.select(meeting_attendance, members.c.full_name)
        .join(members, members.c.id == meeting_attendance.c.member_id)
        .where(meeting_attendance.c.report_id == sa.bindparam("report_id"))
        .order_by(meeting_attendance.c.member_id)
    )


async def last_report_id(conn: AsyncConnection, cell_id: int) -> int | None:
    """Return the id of a cell's latest report (by month, then meeting day), or None."""
    query = (
        sa.select(meeting_reports.c.id)
        .where(meeting_reports.c.cell_id == cell_id)
        .order_by(
            meeting_reports.c.year.desc(),
            meeting_reports.c.month.desc(),
            meeting_reports.c.meeting_date.desc(),
            meeting_reports.c.id.desc(),
        )
        .limit(1)
    )
    return (await conn.execute(query)).scalar_one_or_none()


async def usual_of(conn: AsyncConnection, report_id: int, year: int, month: int) -> Usual:
    """Return a report's time, place, guests, chair and minute taker, with their names, in one query.

    It also says whether the cell has a regular report for (year, month) yet, for the report to come.
    """
    chair, minutes, same_cell = members.alias("chair"), members.alias("minutes"), meeting_reports.alias()
    r = meeting_reports.c
    regular_filed = (
        sa.select(same_cell.c.id)
        .where(
            same_cell.c.cell_id == r.cell_id,
            same_cell.c.year == year,
            same_cell.c.month == month,
            same_cell.c.kind == REGULAR,
        )
        .exists()
    )
    query = (
        sa.select(
            r.id,
            r.year,
            r.month,
            r.start_time,
            r.end_time,
            r.place,
            r.guests,
            r.chair_member_id,
            chair.c.full_name,
            r.minutes_member_id,
            minutes.c.full_name,
            sa.not_(regular_filed),
        )
        .join(chair, chair.c.id == r.chair_member_id)
        .join(minutes, minutes.c.id == r.minutes_member_id)
        .where(r.id == report_id)
    )
    values = list((await conn.execute(query)).one())
    # SQLite answers the EXISTS with 0 or 1.
    values[-1] = bool(values[-1])
    return Usual(*values)


async def kinds_filed(
    conn: AsyncConnection, cell_id: int, year: int, month: int, *, except_id: int | None = None
) -> dict[str, int]:
    """Return the kinds of meeting already reported for a cell's month, with their report ids."""
    params = {"cell_id": cell_id, "year": year, "month": month, "except_id": except_id}
    return {r.kind: r.id for r in await conn.execute(_kinds_query(except_id is not None), params)}


async def kinds_filed_in_months(
    conn: AsyncConnection, cell_id: int, year: int, months: range, *, except_id: int | None = None
) -> dict[int, set[str]]:
    """Return, for each of a year's months, the kinds of meeting a cell reported (one query for a quarter)."""
    params = {
        "cell_id": cell_id,
        "year": year,
        "first": months.start,
        "last": months.stop - 1,
        "except_id": except_id,
    }
    found: dict[int, set[str]] = {month: set() for month in months}
    for r in await conn.execute(_kinds_in_months_query(except_id is not None), params):
        found[r.month].add(r.kind)
    return found


# Built once, the values bound at each call: the report form asks which kinds a month holds on
# several steps, and building the statement costs more than running it.
@functools.cache
def _kinds_query(excepting: bool) -> sa.Select:
    """Build the statement of `kinds_filed`, with or without a report left out."""
    r = meeting_reports.c
    query = sa.select(r.kind, r.id).where(
        r.cell_id == sa.bindparam("cell_id"), r.year == sa.bindparam("year"), r.month == sa.bindparam("month")
    )
    return query.where(r.id != sa.bindparam("except_id")) if excepting else query


@functools.cache
def _kinds_in_months_query(excepting: bool) -> sa.Select:
    """Build the statement of `kinds_filed_in_months`, with or without a report left out."""
    r = meeting_reports.c
    query = sa.select(r.month, r.kind).where(
        r.cell_id == sa.bindparam("cell_id"),
        r.year == sa.bindparam("year"),
        r.month.between(sa.bindparam("first"), sa.bindparam("last")),
    )
    return query.where(r.id != sa.bindparam("except_id")) if excepting else query


async def list_reports(conn: AsyncConnection, cell_id: int) -> list[ReportSummary]:
    """Return a cell's filed reports, newest month first."""
    return (await summaries_of_cells(conn, [cell_id]))[cell_id]


_SUMMARY_COLUMNS = [
    meeting_reports.c[name]
    for name in (
        "id",
        "cell_id",
        "year",
        "month",
        "kind",
        "meeting_date",
        "late",
        "revision",
        "total",
        "excused",
        "present",
        "absent_without_reason",
    )
]


def _summary(r: sa.Row) -> ReportSummary:
    """Build a ReportSummary from a row that starts with the summary columns."""
    report_id, cell_id, year, month, kind, meeting_date, late, revision, total, excused, present, without = r[
        : len(_SUMMARY_COLUMNS)
    ]
    counts = Attendance(total, excused, total - excused - present - without, without)
    return ReportSummary(report_id, cell_id, year, month, kind, meeting_date, late, revision, counts)


def _reported_between(months: tuple[date, date]) -> sa.ColumnElement[bool]:
    """Return the condition that a report is of a month from one day's month to another's."""
    first, last = (month_index(day.year, day.month) for day in months)
    return (meeting_reports.c.year * 12 + meeting_reports.c.month - 1).between(first, last)


async def summaries_of_cells(
    conn: AsyncConnection,
    cell_ids: Sequence[int],
    months: tuple[date, date] | None = None,
    kinds: Collection[str] | None = None,
) -> dict[int, list[ReportSummary]]:
    """Return several cells' filed reports (of some months, of some kinds), newest month first."""
    found: dict[int, list[ReportSummary]] = {cell_id: [] for cell_id in cell_ids}
    query = sa.select(*_SUMMARY_COLUMNS).where(among(conn, meeting_reports.c.cell_id, found))
    if months is not None:
        query = query.where(_reported_between(months))
    if kinds is not None:
        query = query.where(meeting_reports.c.kind.in_(kinds))
    order = (meeting_reports.c.year.desc(), meeting_reports.c.month.desc(), meeting_reports.c.id.desc())
    for r in await conn.execute(query.order_by(*order)):
        found[r.cell_id].append(_summary(r))
    return found


async def filed_of_cells(
    conn: AsyncConnection,
    cell_ids: Sequence[int],
    months: tuple[date, date],
    thematic_months: tuple[date, date],
) -> dict[int, list[FiledReport]]:
    """Return what a digest needs of several cells' reports of some months and thematic meetings of others.

    Newest month first; the figures cross as plain tuples, not summaries, since a province's digest
    reads one per cell and month.
    """
    c = meeting_reports.c
    found: dict[int, list[FiledReport]] = {cell_id: [] for cell_id in cell_ids}
    rows = await conn.execute(
        sa.select(
            c.cell_id,
            c.year,
            c.month,
            c.kind,
            c.late,
            c.revision,
            c.total - c.excused,
            c.present,
            c.absent_without_reason,
        )
        .where(
            among(conn, c.cell_id, found),
            sa.or_(
                _reported_between(months),
                sa.and_(c.kind.in_(THEMATIC_KINDS), _reported_between(thematic_months)),
            ),
        )
        .order_by(c.year.desc(), c.month.desc(), c.id.desc())
    )
    for cell_id, *filed in rows:
        found[cell_id].append(FiledReport._make(filed))
    return found


async def records_of_cells(
    conn: AsyncConnection, cell_ids: Sequence[int], months: tuple[date, date]
) -> dict[int, list[ReportRecord]]:
    """Return several cells' reports of the months between two days' months, oldest first, with absences."""
    which = sa.and_(among(conn, meeting_reports.c.cell_id, cell_ids), _reported_between(months))
    absent = (
        sa.select(meeting_attendance, members.c.full_name)
        .join(members, members.c.id == meeting_attendance.c.member_id)
        .join(meeting_reports, meeting_reports.c.id == meeting_attendance.c.report_id)
        .where(which, meeting_attendance.c.status.in_((ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON)))
        .order_by(meeting_attendance.c.report_id, meeting_attendance.c.member_id)
    )
    absences: dict[int, list[Absence]] = defaultdict(list)
    for a in await conn.execute(absent):
        absences[a.report_id].append(Absence(a.full_name, a.status, a.reason))
    for listed in absences.values():
        listed.sort(key=lambda a: vietnamese_key(a.name))
    chair, minutes = members.alias("chair"), members.alias("minutes")
    rows = await conn.execute(
        sa.select(
            *_SUMMARY_COLUMNS,
            *(meeting_reports.c[name] for name in ("topic", "start_time", "place")),
            chair.c.full_name,
            minutes.c.full_name,
            *(meeting_reports.c[name] for name in ("study", "documents", "review", "resolution", "quality")),
            *(
                meeting_reports.c[name]
                for name in ("submitted_at", "end_time", "guests", "vote_for", "vote_against", "vote_total")
            ),
        )
        .join(chair, chair.c.id == meeting_reports.c.chair_member_id)
        .join(minutes, minutes.c.id == meeting_reports.c.minutes_member_id)
        .where(which)
        .order_by(meeting_reports.c.year, meeting_reports.c.month, meeting_reports.c.id)
    )
    found: dict[int, list[ReportRecord]] = {cell_id: [] for cell_id in cell_ids}
    for r in rows:
        summary = _summary(r)
        # The columns after the summary's are the record's fields in order, the absences last.
        fields = (summary, *r[len(_SUMMARY_COLUMNS) :], tuple(absences.get(summary.id, ())))
        record = ReportRecord(*fields)
        found[summary.cell_id].append(record)
    return found


async def report_counts(conn: AsyncConnection, committee_id: int) -> dict[int, int]:
    """Return how many reports each cell of a committee has filed."""
    rows = await conn.execute(
        sa.select(meeting_reports.c.cell_id, sa.func.count())
        .join(cells, cells.c.id == meeting_reports.c.cell_id)
        .where(cells.c.committee_id == committee_id)
        .group_by(meeting_reports.c.cell_id)
    )
    return dict(rows.all())


async def report_revisions(conn: AsyncConnection, report_id: int) -> list[Revision]:
    """Return every version of a report, oldest first."""
    rows = await conn.execute(
        sa.select(meeting_report_revisions, people.c.full_name)
        .join(people, people.c.id == meeting_report_revisions.c.person_id)
        .where(meeting_report_revisions.c.report_id == report_id)
        .order_by(meeting_report_revisions.c.revision)
    )
    return [Revision(r.revision, r.at, r.person_id, r.full_name, list(r.changes)) for r in rows]


async def months_of_cells(
    conn: AsyncConnection, cell_ids: Sequence[int], start: date, end: date
) -> dict[int, list[tuple[int, int, str]]]:
    """Return (year, month, kind) of several cells' reports for months overlapping start..end."""
    c = meeting_reports.c
    found: dict[int, list[tuple[int, int, str]]] = {cell_id: [] for cell_id in cell_ids}
    rows = await conn.execute(
        sa.select(c.cell_id, c.year, c.month, c.kind).where(
            among(conn, c.cell_id, found), _reported_between((start, end))
        )
    )
    for cell_id, year, month, kind in rows:
        found[cell_id].append((year, month, kind))
    return found


async def cells_without_report(conn: AsyncConnection, committee_id: int, year: int, month: int) -> list[int]:
    """Return the ids of a committee's cells with no filed report for a month, by cell name."""
    filed = sa.select(meeting_reports.c.cell_id).where(
        meeting_reports.c.year == year, meeting_reports.c.month == month
    )
    rows = await conn.execute(
        sa.select(cells.c.id)
        .where(cells.c.committee_id == committee_id, cells.c.id.not_in(filed))
        .order_by(cells.c.name, cells.c.id)
    )
    return [r.id for r in rows]


async def member_attendance(
    conn: AsyncConnection, member_id: int, start: date, end: date
) -> list[tuple[date, str]]:
    """Return (meeting date, status) of each filed meeting from start to end with the member on its roster."""
    rows = await conn.execute(
        sa.select(meeting_reports.c.meeting_date, meeting_attendance.c.status)
        .join(meeting_reports, meeting_reports.c.id == meeting_attendance.c.report_id)
        .where(
            meeting_attendance.c.member_id == member_id, meeting_reports.c.meeting_date.between(start, end)
        )
        .order_by(meeting_reports.c.meeting_date, meeting_reports.c.id)
    )
    return [(r.meeting_date, r.status) for r in rows]
