"""The admin command line's work: each function returns the lines to print."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncConnection

from admin.demo_data import demo_ward
from domain.clock import LOCAL_TZ, Clock, fmt_date, local_today
from domain.identity import COMMITTEE, MEMBER, RoleGrant
from reports.roster_file import parse_roster
from storage import accounts, org
from storage.copy import TargetHasOtherData, copy_database
from storage.db import Database
from storage.org import Cell, Committee, NewMember, YearTheme
from texts import accounts as ta
from texts import admin as t
from texts import common as tc


class AdminError(Exception):
    """A problem with the command's arguments, said in Vietnamese."""


async def load_demo(db: Database, clock: Clock) -> list[str]:
    """Load the demo ward of the 2015 scenario; running it again changes nothing."""
    ward = demo_ward()
    now = clock.now()
    async with db.begin() as conn:
        if await org.find_committee(conn, ward.committee_name) is not None:
            return [t.DEMO_PRESENT.format(committee=ward.committee_name)]
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
            ids = dict(
                zip(
                    [m.full_name for m in demo_cell.members],
                    await org.add_members(conn, cell.id, rows, now),
                    strict=True,
                )
            )
            member_count += len(ids)
            for role, name in (("secretary", demo_cell.secretary), ("deputy", demo_cell.deputy)):
                person_id = await accounts.create_person(conn, name, now, ids[name])
                await accounts.grant_role(conn, person_id, role, committee.id, cell.id, now)
                people_count += 1
        for person in ward.committee_people:
            person_id = await accounts.create_person(conn, person.full_name, now)
            await accounts.grant_role(conn, person_id, COMMITTEE, committee.id, None, now, person.title)
            people_count += 1
    return [
        t.DEMO_LOADED.format(
            committee=ward.committee_name, cells=len(ward.cells), members=member_count, people=people_count
        )
    ]


async def _committee(db: Database, name: str | None) -> Committee:
    """Return the named committee, or the only one when no name is given."""
    async with db.begin() as conn:
        if name is not None:
            committee = await org.find_committee(conn, name)
            if committee is None:
                raise AdminError(t.COMMITTEE_NOT_FOUND.format(name=name))
            return committee
        committees = await org.list_committees(conn)
    if not committees:
        raise AdminError(t.NO_COMMITTEE)
    if len(committees) > 1:
        raise AdminError(t.MANY_COMMITTEES)
    return committees[0]


async def create_committee(db: Database, clock: Clock, name: str) -> list[str]:
    """Create a committee (idempotent)."""
    async with db.begin() as conn:
        committee = await org.create_committee(conn, name, clock.now())
    return [t.COMMITTEE_CREATED.format(name=committee.name, id=committee.id)]


async def create_cell(
    db: Database, clock: Clock, name: str, kind: str, committee_name: str | None
) -> list[str]:
    """Create a cell in a committee (idempotent)."""
    committee = await _committee(db, committee_name)
    async with db.begin() as conn:
        cell = await org.create_cell(conn, committee.id, name, kind, clock.now())
    return [t.CELL_CREATED.format(name=cell.name, committee=committee.name, id=cell.id)]


async def list_organisation(db: Database) -> list[str]:
    """List committees and their cells with member counts."""
    lines = []
    async with db.begin() as conn:
        for committee in await org.list_committees(conn):
            lines.append(t.LIST_COMMITTEE.format(name=committee.name, id=committee.id))
            for cell in await org.list_cells(conn, committee.id):
                count = len(await org.list_members(conn, cell.id))
                kind = t.CELL_KINDS.get(cell.kind, cell.kind)
                lines.append(t.LIST_CELL.format(name=cell.name, kind=kind, members=count))
    return lines or [t.NO_COMMITTEE]


async def _cell(db: Database, committee: Committee, name: str) -> org.Cell:
    """Return a committee's cell by name, or say which cells exist."""
    async with db.begin() as conn:
        cell = await org.find_cell(conn, committee.id, name)
        if cell is None:
            names = ", ".join(c.name for c in await org.list_cells(conn, committee.id))
            raise AdminError(t.CELL_NOT_FOUND.format(name=name, names=names or "—"))
    return cell


async def _roster_row(
    conn: AsyncConnection, role: str, cell: Cell | None, full_name: str | None
) -> int | None:
    """Return the roster row an invite to a cell is for: required for a member, found for a leader."""
    if cell is None:
        return None
    if not full_name:
        if role == MEMBER:
            raise AdminError(t.MEMBER_NAME_REQUIRED)
        return None
    found = await org.members_named(conn, cell.id, full_name)
    if len(found) > 1:
        raise AdminError(t.SEVERAL_ON_ROSTER.format(cell=cell.name, count=len(found), name=full_name))
    if not found and role == MEMBER:
        raise AdminError(t.NOT_ON_ROSTER.format(name=full_name, cell=cell.name))
    return found[0].id if found else None


async def create_invite(
    db: Database,
    clock: Clock,
    ttl_days: int,
    *,
    role: str,
    cell_name: str | None,
    committee_name: str | None,
    full_name: str | None,
    title: str | None,
) -> list[str]:
    """Create an invite; the code alone is the last line."""
    committee = await _committee(db, committee_name)
    if role == COMMITTEE and cell_name:
        raise AdminError(t.CELL_NOT_ALLOWED)
    if role != COMMITTEE and not cell_name:
        raise AdminError(t.CELL_REQUIRED.format(role=tc.ROLE_CHOICES[role]))
    cell = await _cell(db, committee, cell_name) if cell_name else None
    async with db.begin() as conn:
        member_id = await _roster_row(conn, role, cell, full_name)
        invite = await accounts.create_invite(
            conn,
            role=role,
            committee_id=committee.id,
            cell_id=cell.id if cell else None,
            now=clock.now(),
            ttl=timedelta(days=ttl_days),
            full_name=full_name,
            title=title,
            member_id=member_id,
        )
    grant = RoleGrant(
        role, committee.id, committee.name, cell.id if cell else None, cell.name if cell else None, title
    )
    who = f"{full_name} ({tc.role_title(grant)})" if full_name else tc.role_title(grant)
    expires_on = fmt_date(invite.expires_at.astimezone(LOCAL_TZ).date())
    return [t.INVITE_CREATED.format(who=who, expires_on=expires_on, code=invite.code), invite.code]


async def list_invites(db: Database, clock: Clock) -> list[str]:
    """List invites with their state."""
    now = clock.now()
    lines = []
    async with db.begin() as conn:
        cells = {c.id: c.name for c in await org.list_cells(conn)}
        for invite in await accounts.list_invites(conn):
            if invite.used_at is not None:
                state = ta.INVITE_STATE_USED
            elif invite.expires_at <= now:
                state = ta.INVITE_STATE_EXPIRED
            else:
                state = ta.INVITE_STATE_OPEN
            place = cells.get(invite.cell_id or 0, "") or (invite.title or "")
            expires_on = fmt_date(invite.expires_at.astimezone(LOCAL_TZ).date())
            lines.append(ta.admin_invite_line(invite.code, invite.role, place, expires_on, state))
    return lines or [t.NO_INVITES]


async def import_members(
    db: Database, clock: Clock, cell_name: str, path: Path, committee_name: str | None
) -> list[str]:
    """Import a roster file into a cell: every row valid, or nothing written."""
    committee = await _committee(db, committee_name)
    cell = await _cell(db, committee, cell_name)
    result = parse_roster(await asyncio.to_thread(path.read_bytes), path.name, today=local_today(clock))
    if not result.ok:
        raise AdminError(
            "\n".join([t.IMPORT_ERRORS.format(count=len(result.errors)), *(e.message for e in result.errors)])
        )
    rows = [NewMember(r.full_name, r.birth_year, r.status, r.excused, r.joined_on) for r in result.rows]
    async with db.begin() as conn:
        await org.add_members(conn, cell.id, rows, clock.now())
    return [t.IMPORTED.format(count=len(rows), cell=cell.name)]


async def migrate_data(source_url: str, target_url: str) -> list[str]:
    """Copy a ward's database to another engine and compare row counts table by table."""
    source, target = Database.from_url(source_url), Database.from_url(target_url)
    try:
        counts = await copy_database(source, target)
    except TargetHasOtherData as error:
        raise AdminError(t.COPY_TARGET_NOT_EMPTY.format(table=error.table)) from None
    finally:
        await source.dispose()
        await target.dispose()
    lines = [t.COPY_HEADER] + [
        t.COPY_LINE.format(
            table=c.table, source=c.source, target=c.target, mark="" if c.matches else t.COPY_MISMATCH
        )
        for c in counts
    ]
    mismatched = [c for c in counts if not c.matches]
    if mismatched:
        raise AdminError("\n".join([*lines, t.COPY_FAILED.format(count=len(mismatched))]))
    return lines
