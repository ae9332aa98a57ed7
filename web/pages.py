"""What each page shows, gathered from storage and the reports the chat sends, ready for its template."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import jinja2
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.attendance import tally
from domain.clock import fmt_date, fmt_datetime
from domain.digest import LATE, MISSING, ON_TIME, CellDigest, Period
from domain.pledges import MID_YEAR, YEAR_END, is_overdue, months_before, standing
from domain.words import normalize
from reports import digest
from reports.readiness import readiness_of
from storage import inspections, org, pledges, reports
from storage.db import Database
from storage.org import Cell, Member
from storage.reports import Report
from storage.web import WEB_PREFIX
from texts import digest as td
from texts import documents as tdoc
from texts import exports as tx
from texts import inspections as ti
from texts import members as tm
from texts import pledges as tp
from texts import report as tr
from texts import web as t
from web import periods

# The earliest and latest days an inspection can be on: a cell's whole history.
EVER = (date(1930, 1, 1), date(2100, 12, 31))


def _thematic_missing(cell: CellDigest) -> bool:
    """Tell whether the period's latest quarter so far has no thematic meeting."""
    return bool(cell.thematic) and not cell.thematic[-1][2]


# How the ward's table can be sorted, by the column's key in the address; the first is the default.
SORTS: dict[str, Callable[[CellDigest], Any]] = {
    "chu-y": lambda c: 0,
    "ten": lambda c: normalize(c.name),
    "bao-cao": lambda c: (-c.count(MISSING), -c.count(LATE), normalize(c.name)),
    "du-hop": lambda c: (2.0 if c.rate is None else c.rate, normalize(c.name)),
    "chuyen-de": lambda c: (not _thematic_missing(c), normalize(c.name)),
    "cam-ket": lambda c: (-(c.pledges.none + c.pledges.vague), -c.pledges.none, normalize(c.name)),
    "qua-han": lambda c: (-(c.pledges.overdue + c.overdue_tasks), normalize(c.name)),
    "kiem-tra": lambda c: (
        c.inspection is None,
        c.inspection.session_on if c.inspection else date.max,
        -(c.inspection.missing if c.inspection else 0),
    ),
}


def install(env: jinja2.Environment) -> None:
    """Give the templates the texts and the formats they show."""
    env.globals.update(t=t, tm=tm, tp=tp, tr=tr, tx=tx, prefix=WEB_PREFIX)
    env.filters.update(
        day=fmt_date,
        moment=fmt_datetime,
        rate=tr.rate,
        period=lambda p: td.period_label(p.kind, p.year, p.index),
    )


def _period_context(period: Period, today: date) -> dict[str, Any]:
    """Return what the period picker needs."""
    return {"period": period, "choices": periods.choices(today)}


@dataclass(frozen=True)
class CellRow:
    """One line of the ward's table, its figures already written out."""

    cell_id: int
    name: str
    flagged: bool
    reports: str
    attendance: str
    thematic: str
    pledges: str
    overdue: str
    inspection: str
    reasons: str


def cell_row(c: CellDigest) -> CellRow:
    """Write out a cell's figures as the ward's table shows them."""
    p, outlook = c.pledges, c.inspection
    return CellRow(
        cell_id=c.cell_id,
        name=c.name,
        flagged=bool(c.attention),
        reports=f"{c.count(ON_TIME)} / {c.count(LATE)} / {c.count(MISSING)}",
        attendance=tr.rate(c.rate),
        thematic=tdoc.THEMATIC_HELD[c.thematic[-1][2]] if c.thematic else t.BLANK,
        pledges=f"{p.specific} / {p.vague} / {p.none}",
        overdue=f"{p.overdue} / {c.overdue_tasks}",
        inspection=f"{fmt_date(outlook.session_on)} ({outlook.missing})" if outlook else t.BLANK,
        reasons="; ".join(td.ATTENTION_LABELS[reason] for reason in c.attention),
    )


def page_number(asked: str | None, pages: int) -> int:
    """Read the page asked for in the address, within the pages there are (the first when unreadable)."""
    number = int(asked) if asked and asked.isdigit() else 1
    return min(max(number, 1), pages)


async def ward(
    conn: AsyncConnection,
    committee_id: int,
    period: Period,
    today: date,
    sort: str | None,
    page: str | None,
    per_page: int,
) -> dict:
    """Gather the ward's digest, order its cells as asked (attention first by default), keep one page."""
    found = await digest.gather(conn, committee_id, period, today)
    key = sort if sort in SORTS else next(iter(SORTS))
    # The digest comes attention first; a stable sort keeps that order among equals.
    cells = sorted(found.cells, key=SORTS[key])
    pages = max(1, -(-len(cells) // per_page))
    number = page_number(page, pages)
    return {
        "title": f"{found.committee} — {found.label}",
        "digest": found,
        "totals": digest.total_lines(found),
        "cells": [cell_row(c) for c in cells[(number - 1) * per_page : number * per_page]],
        "cell_count": len(cells),
        "sort": key,
        "page": number,
        "pages": pages,
        **_period_context(period, today),
    }


async def ward_from_snapshot(
    db: Database,
    *,
    committee_id: int,
    period: Period,
    today: date,
    sort: str | None,
    page: str | None,
    per_page: int,
) -> dict:
    """Gather the ward page from a read-only snapshot (run away from the event loop)."""
    async with db.read() as conn:
        return await ward(conn, committee_id, period, today, sort, page, per_page)


async def cell(conn: AsyncConnection, cell: Cell, period: Period, today: date) -> dict:
    """Gather one cell's reports, roster with pledge state, readiness, inspections and tasks."""
    committee = await org.get_committee(conn, cell.committee_id)
    roster = await org.list_members(conn, cell.id)
    items = await pledges.items_by_member(conn, [m.id for m in roster], today.year)
    upcoming = await inspections.upcoming(conn, today, cell_id=cell.id)
    checklist = None
    if upcoming:
        checklist = ti.checklist(await readiness_of(conn, upcoming[0], today))
    return {
        "title": cell.name,
        "cell": cell,
        "committee": committee.name,
        "reports": await reports.list_reports(conn, cell.id),
        "roster": [(m, standing(items[m.id], today)) for m in roster],
        "next_inspection": upcoming[0] if upcoming else None,
        "checklist": checklist,
        "inspections": await inspections.inspections_between(conn, [cell.id], *EVER),
        "tasks": await inspections.tasks_of_cells(conn, [cell.id]),
        "today": today,
        **_period_context(period, today),
    }


async def report(conn: AsyncConnection, report: Report) -> dict:
    """Gather a filed report with its cell and revisions."""
    cell = await org.get_cell(conn, report.cell_id)
    content = report.content
    return {
        "title": f"{cell.name} — {tr.month_label(content.year, content.month)}",
        "cell": cell,
        "report": report,
        "content": content,
        "counts": content.counts,
        "revisions": [
            tr.revision_line(
                r.revision,
                fmt_datetime(r.at),
                r.person_name,
                list(dict.fromkeys(tr.FIELD_LABELS[c] for c in r.changes)),
            )
            for r in await reports.report_revisions(conn, report.id)
            if r.revision > 1
        ],
    }


async def member(conn: AsyncConnection, member: Member, today: date, *, reads_cell: bool) -> dict:
    """Gather a member's pledge items with evidence, this year's reviews and 12 months of attendance."""
    cell = await org.get_cell(conn, member.cell_id)
    items = await pledges.member_items(conn, member.id, today.year)
    evidence = await pledges.evidence_of_cells(conn, [cell.id], today.year)
    reviews = [
        review
        for kind in (MID_YEAR, YEAR_END)
        if (review := (await pledges.reviews_by_member(conn, [member.id], today.year, kind)).get(member.id))
    ]
    attended = await reports.member_attendance(conn, member.id, months_before(today, 12), today)
    meetings = list(reversed(attended))
    return {
        "title": member.full_name,
        "member": member,
        "cell": cell,
        "reads_cell": reads_cell,
        "year": today.year,
        "items": [
            (item, evidence.get(item.id, []), is_overdue(item.deadline, item.status, today)) for item in items
        ],
        "figures": standing(items, today),
        "reviews": reviews,
        "meetings": meetings,
        "attendance": tm.card_attendance(tally(status for _, status in meetings)),
    }
