"""Write the demo ward and its year of history into the database, in few statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy.ext.asyncio import AsyncConnection

from admin.demo_data import DemoWard
from admin.demo_history import DemoHistory, DemoInspection
from domain.calendar import at_local
from domain.identity import COMMITTEE
from domain.pledges import YEAR_END, propose_ranking
from storage import accounts, bulk, inspections, org, pledges, reports
from storage.inspections import NewInspection
from storage.org import NewMember, YearTheme
from storage.pledges import NewItem
from storage.reports import AttendanceEntry, ReportContent

# The evidence a demo update carries is a description, as one typed in the chat.
_TEXT_EVIDENCE = "text"
_EVENING = time(20, 0)
_AFTERNOON = time(15, 0)


@dataclass(frozen=True)
class WardCounts:
    """What writing the ward's people added."""

    committee_id: int
    cells: int
    members: int
    people: int


@dataclass(frozen=True)
class HistoryCounts:
    """What writing the ward's history added."""

    reports: int
    pledges: int
    items: int
    updates: int
    reviews: int
    inspections: int


async def write_ward(conn: AsyncConnection, ward: DemoWard, now: datetime) -> WardCounts:
    """Create the ward's committee, cells, members, leaders and committee people."""
    committee = await org.create_committee(conn, ward.committee_name, now)
    await org.update_committee_settings(conn, committee.id, ward.settings)
    for theme in ward.year_themes:
        await org.set_year_theme(
            conn, committee.id, YearTheme(theme.year, theme.directive, theme.theme, theme.wording)
        )
    people_count = 0
    member_count = 0
    for demo_cell in ward.cells:
        cell = await org.create_cell(conn, committee.id, demo_cell.name, demo_cell.kind, now)
        rows = [
            NewMember(m.full_name, m.birth_year, m.status, m.excused, m.joined_on, m.gender)
            for m in demo_cell.members
        ]
        added = await bulk.add_members(conn, [(cell.id, row) for row in rows], now)
        ids = dict(zip([m.full_name for m in demo_cell.members], added, strict=True))
        member_count += len(ids)
        for role, name in (("secretary", demo_cell.secretary), ("deputy", demo_cell.deputy)):
            person_id = await accounts.create_person(conn, name, now, ids[name])
            await accounts.grant_role(conn, person_id, role, committee.id, cell.id, now)
            people_count += 1
    for person in ward.committee_people:
        person_id = await accounts.create_person(conn, person.full_name, now)
        await accounts.grant_role(conn, person_id, COMMITTEE, committee.id, None, now, person.title)
        people_count += 1
    return WardCounts(committee.id, len(ward.cells), member_count, people_count)


async def has_history(conn: AsyncConnection, committee_id: int) -> bool:
    """Tell whether any cell of the committee has filed a report."""
    return bool(await reports.report_counts(conn, committee_id))


@dataclass(frozen=True)
class _Ids:
    """The database ids of the ward's cells, members and people, by name."""

    cells: dict[str, int]
    members: dict[str, int]
    people: dict[str, int]


async def _ids(conn: AsyncConnection, committee_id: int) -> _Ids:
    """Find the ids of the committee's cells, current members and people by name."""
    cells = await org.list_cells(conn, committee_id)
    rosters = await org.rosters(conn, [cell.id for cell in cells])
    members = {m.full_name: m.id for roster in rosters.values() for m in roster}
    people = {name: person_id for person_id, name in await accounts.list_people(conn)}
    return _Ids({cell.name: cell.id for cell in cells}, members, people)


def _fits(ward: DemoWard, found: _Ids) -> bool:
    """Tell whether the database still holds every cell, member and leader the history names."""
    names = {m.full_name for cell in ward.cells for m in cell.members}
    leaders = {name for cell in ward.cells for name in (cell.secretary, cell.deputy)}
    inspector = ward.committee_people[0].full_name
    return (
        {cell.name for cell in ward.cells} <= set(found.cells)
        and names <= set(found.members)
        and leaders | {inspector} <= set(found.people)
    )


async def history_fits(conn: AsyncConnection, committee_id: int, ward: DemoWard) -> bool:
    """Tell whether an existing demo committee can take the history: every name it uses is there."""
    return _fits(ward, await _ids(conn, committee_id))


async def write_history(
    conn: AsyncConnection, committee_id: int, ward: DemoWard, history: DemoHistory, now: datetime
) -> HistoryCounts:
    """Write a history into the committee: themes it lacks, reports, pledges, reviews, inspections."""
    ids = await _ids(conn, committee_id)
    secretaries = {cell.name: ids.people[cell.secretary] for cell in ward.cells}
    for theme in history.themes:
        if await org.get_year_theme(conn, committee_id, theme.year) is None:
            await org.set_year_theme(
                conn, committee_id, YearTheme(theme.year, theme.directive, theme.theme, theme.wording)
            )
    await bulk.create_reports(
        conn,
        [
            bulk.NewReport(
                ids.cells[r.cell],
                ReportContent(
                    year=r.year,
                    month=r.month,
                    kind=r.kind,
                    meeting_date=r.meeting_date,
                    start_time=r.start_time,
                    place=r.place,
                    topic=r.topic,
                    chair_member_id=ids.members[r.chair],
                    minutes_member_id=ids.members[r.minutes],
                    study=r.study,
                    documents=r.documents,
                    review=r.review,
                    resolution=r.resolution,
                    quality=r.quality,
                    attendance=tuple(
                        sorted(
                            (
                                AttendanceEntry(ids.members[a.member], a.status, a.reason)
                                for a in r.attendance
                            ),
                            key=lambda entry: entry.member_id,
                        )
                    ),
                    end_time=r.end_time,
                    vote_for=r.vote_for,
                    vote_against=0,
                    vote_total=r.vote_total,
                ),
                r.late,
                r.submitted_at,
                secretaries[r.cell],
            )
            for r in history.reports
        ],
    )
    item_ids = await bulk.add_pledges(
        conn,
        [
            bulk.NewPledge(
                ids.members[p.member],
                p.year,
                [
                    NewItem(i.action, i.duty, i.indicator, i.deadline, i.milestones, i.evidence)
                    for i in p.items
                ],
                secretaries[p.cell],
                on_behalf=True,
                registered_on=p.registered_on,
                problems=[i.problems for i in p.items],
            )
            for p in history.pledges
        ],
        history.as_of,
        now,
    )
    items = [(p, item) for p in history.pledges for item in p.items]
    updates = [
        bulk.NewUpdate(
            item_id,
            u.status,
            u.note,
            _TEXT_EVIDENCE if u.evidence else None,
            u.evidence,
            u.on,
            at_local(u.on, _EVENING),
            secretaries[pledge.cell],
        )
        for item_id, (pledge, item) in zip(item_ids, items, strict=True)
        for u in item.updates
    ]
    await bulk.add_updates(conn, updates)
    reviews = []
    for review in history.reviews:
        ranking = None
        if review.kind == YEAR_END:
            scale = await pledges.ranking_scale(conn, review.year)
            rung = propose_ranking(review.outcomes, len(scale))
            ranking = scale[rung] if rung is not None else None
        reviews.append(
            bulk.NewReview(
                ids.members[review.member],
                review.year,
                review.kind,
                review.assessment,
                ranking,
                review.reviewed_on,
                at_local(review.reviewed_on, _EVENING),
                secretaries[review.cell],
            )
        )
    await bulk.add_reviews(conn, reviews)
    inspector = ids.people[ward.committee_people[0].full_name]
    for inspection in history.inspections:
        await _write_inspection(conn, committee_id, ids, inspection, inspector, secretaries[inspection.cell])
    return HistoryCounts(
        reports=len(history.reports),
        pledges=len(history.pledges),
        items=len(items),
        updates=len(updates),
        reviews=len(reviews),
        inspections=len(history.inspections),
    )


async def _write_inspection(
    conn: AsyncConnection,
    committee_id: int,
    ids: _Ids,
    inspection: DemoInspection,
    inspector: int,
    secretary: int,
) -> None:
    """Plan one inspection, then record its self-inspection report, conclusion and task updates."""
    plan = NewInspection(
        committee_id,
        ids.cells[inspection.cell],
        inspection.session_on,
        inspection.content,
        inspection.period_start,
        inspection.period_end,
        inspection.documents,
    )
    inspection_id = await inspections.create_inspection(
        conn, plan, inspector, at_local(inspection.planned_on, _AFTERNOON)
    )
    if inspection.self_report is not None:
        day, text = inspection.self_report
        await inspections.record_self_report(conn, inspection_id, text, at_local(day, _AFTERNOON))
    conclusion = inspection.conclusion
    if conclusion is None:
        return
    task_ids = await inspections.conclude(
        conn,
        inspection_id,
        strengths=conclusion.strengths,
        limitations=conclusion.limitations,
        recommendations=conclusion.recommendations,
        tasks=[(task.description, task.due_on) for task in conclusion.tasks],
        person_id=inspector,
        now=at_local(conclusion.concluded_on, _AFTERNOON),
    )
    for task_id, task in zip(task_ids, conclusion.tasks, strict=True):
        for day, text in task.updates:
            await inspections.add_task_update(conn, task_id, secretary, text, at_local(day, _EVENING))
