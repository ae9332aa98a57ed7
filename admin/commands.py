"""The admin command line's work: each function returns the lines to print."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncConnection

from admin import demo
from admin.demo_data import DemoWard, demo_ward
from admin.demo_history import demo_history, source_day
from domain.clock import LOCAL_TZ, Clock, fmt_date, fmt_month, local_today
from domain.identity import COMMITTEE, MEMBER, SECRETARY, RoleGrant
from domain.words import normalize
from reports.roster_file import parse_roster
from storage import accounts, org
from storage.copy import TargetHasOtherData, copy_database
from storage.db import Database
from storage.org import Cell, Committee, NewMember
from texts import accounts as ta
from texts import admin as t
from texts import common as tc

# The first year `admin demo --year` builds: Directive 03-CT/TW (2011) was in force from its start.
DEMO_FIRST_YEAR = 2012


class AdminError(Exception):
    """A problem with the command's arguments, said in Vietnamese."""


async def load_demo(db: Database, clock: Clock) -> list[str]:
    """Load the demo ward's people as of the 2015 scenario, no history; running it again changes nothing."""
    ward = demo_ward()
    async with db.begin() as conn:
        if await org.find_committee(conn, ward.committee_name) is not None:
            return [t.DEMO_PRESENT.format(committee=ward.committee_name)]
        counts = await demo.write_ward(conn, ward, clock.now())
    return [_ward_loaded(ward, counts)]


def _ward_loaded(ward: DemoWard, counts: demo.WardCounts) -> str:
    """Say what loading the ward's people added."""
    return t.DEMO_LOADED.format(
        committee=ward.committee_name, cells=counts.cells, members=counts.members, people=counts.people
    )


async def load_demo_year(db: Database, clock: Clock, year: int | None = None) -> list[str]:
    """Load the demo ward with its last twelve months (to today, or the source scenario of a year).

    Running it again changes nothing; a demo ward loaded without history, still as it was, gets one.
    """
    today = local_today(clock)
    if year is not None and not DEMO_FIRST_YEAR <= year <= today.year:
        raise AdminError(t.DEMO_YEAR_OUT_OF_RANGE.format(first=DEMO_FIRST_YEAR, last=today.year))
    as_of = today if year is None else min(source_day(year), today)
    ward = demo_ward(as_of)
    now = clock.now()
    lines = []
    async with db.begin() as conn:
        committee = await org.find_committee(conn, ward.committee_name)
        if committee is None:
            counts = await demo.write_ward(conn, ward, now)
            lines.append(_ward_loaded(ward, counts))
            committee_id = counts.committee_id
        elif await demo.has_history(conn, committee.id) or not await demo.history_fits(
            conn, committee.id, ward
        ):
            return [t.DEMO_PRESENT.format(committee=ward.committee_name)]
        else:
            committee_id = committee.id
        history = demo_history(ward, as_of, source=year is not None)
        added = await demo.write_history(conn, committee_id, ward, history, now)
    lines.append(
        t.DEMO_HISTORY.format(
            first=fmt_month(*history.first_month),
            last=fmt_date(as_of),
            reports=added.reports,
            pledges=added.pledges,
            items=added.items,
            updates=added.updates,
            reviews=added.reviews,
            inspections=added.inspections,
        )
    )
    return lines


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


def _cells_named(cells: list[Cell], name: str) -> list[Cell]:
    """Return the cells a typed name means: exactly, then without diacritics, then by its start."""
    spaced = " ".join(name.split()).casefold()
    exact = [c for c in cells if " ".join(c.name.split()).casefold() == spaced]
    if exact:
        return exact
    bare = normalize(name)
    folded = [c for c in cells if normalize(c.name) == bare]
    if folded or not bare:
        return folded
    return [c for c in cells if normalize(c.name).startswith(bare)]


async def _cell(db: Database, committee: Committee, name: str) -> org.Cell:
    """Return a committee's cell by name, typed with or without diacritics, or say which cells exist."""
    async with db.begin() as conn:
        cells = await org.list_cells(conn, committee.id)
    found = _cells_named(cells, name)
    if len(found) > 1:
        raise AdminError(t.CELL_AMBIGUOUS.format(name=name, names=", ".join(c.name for c in found)))
    if not found:
        names = ", ".join(c.name for c in cells)
        raise AdminError(t.CELL_NOT_FOUND.format(name=name, names=names or "—"))
    return found[0]


async def read_input(path: Path) -> bytes:
    """Read a file named on the command line, or say in one line why it cannot be read."""
    try:
        return await asyncio.to_thread(path.read_bytes)
    except FileNotFoundError:
        raise AdminError(t.FILE_NOT_FOUND.format(path=path)) from None
    except IsADirectoryError:
        raise AdminError(t.FILE_IS_DIRECTORY.format(path=path)) from None
    except OSError as error:
        raise AdminError(t.FILE_UNREADABLE.format(path=path, reason=error.strerror or error)) from None


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
        warnings = await _secretary_warnings(conn, cell, clock) if role == SECRETARY and cell else []
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
    return [*warnings, t.INVITE_CREATED.format(who=who, expires_on=expires_on, code=invite.code), invite.code]


async def _secretary_warnings(conn: AsyncConnection, cell: Cell, clock: Clock) -> list[str]:
    """Warn when a cell already has a secretary, or an open invite for one."""
    warnings = [
        t.SECRETARY_EXISTS.format(cell=cell.name, name=name)
        for _, name, role in await accounts.cell_leaders(conn, cell.id)
        if role == SECRETARY
    ]
    now = clock.now()
    open_invites = [
        i
        for i in await accounts.list_invites(conn, cell.committee_id)
        if i.cell_id == cell.id and i.role == SECRETARY and i.used_at is None and i.expires_at > now
    ]
    for invite in open_invites:
        who = invite.full_name or t.NO_NAME
        warnings.append(t.SECRETARY_INVITED.format(cell=cell.name, code=invite.code, name=who))
    return warnings


async def list_invites(db: Database, clock: Clock) -> list[str]:
    """List invites with the invitee, the role in words, and the state."""
    now = clock.now()
    lines = []
    async with db.begin() as conn:
        committees = {c.id: c.name for c in await org.list_committees(conn)}
        cells = {c.id: c.name for c in await org.list_cells(conn)}
        for invite in await accounts.list_invites(conn):
            if invite.used_at is not None:
                state = ta.INVITE_STATE_USED
            elif invite.expires_at <= now:
                state = ta.INVITE_STATE_EXPIRED
            else:
                state = ta.INVITE_STATE_OPEN
            cell_name = cells.get(invite.cell_id) if invite.cell_id is not None else None
            grant = RoleGrant(
                invite.role,
                invite.committee_id,
                committees.get(invite.committee_id, ""),
                invite.cell_id,
                cell_name,
                invite.title,
            )
            expires_on = fmt_date(invite.expires_at.astimezone(LOCAL_TZ).date())
            lines.append(
                ta.admin_invite_line(
                    invite.code, invite.full_name or t.NO_NAME, tc.role_title(grant), expires_on, state
                )
            )
    return lines or [t.NO_INVITES]


def _person_key(full_name: str, birth_year: int | None) -> tuple[str, int | None]:
    """Return what makes two roster rows one person: the name (case and spacing aside) and birth year."""
    return " ".join(full_name.split()).casefold(), birth_year


async def import_members(
    db: Database, clock: Clock, cell_name: str, path: Path, committee_name: str | None
) -> list[str]:
    """Import a roster file into a cell, all rows valid or none written, skipping members it has."""
    committee = await _committee(db, committee_name)
    cell = await _cell(db, committee, cell_name)
    result = parse_roster(await read_input(path), path.name, today=local_today(clock))
    if not result.ok:
        raise AdminError(
            "\n".join([t.IMPORT_ERRORS.format(count=len(result.errors)), *(e.message for e in result.errors)])
        )
    async with db.begin() as conn:
        known = {_person_key(m.full_name, m.birth_year) for m in await org.list_members(conn, cell.id)}
        rows, skipped = [], []
        for r in result.rows:
            key = _person_key(r.full_name, r.birth_year)
            if key in known:
                skipped.append(t.person_with_year(r.full_name, r.birth_year))
                continue
            known.add(key)
            rows.append(NewMember(r.full_name, r.birth_year, r.status, r.excused, r.joined_on))
        await org.add_members(conn, cell.id, rows, clock.now())
    lines = [t.IMPORTED.format(count=len(rows), cell=cell.name)]
    if skipped:
        lines.append(t.import_skipped(skipped))
    return lines


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
