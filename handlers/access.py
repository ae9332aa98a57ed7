"""Who may see which cell, member and report: the access rules the chat and the web view share."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncConnection

from core.commands import CELL_AND_COMMITTEE
from core.context import Ctx
from core.parsing import ParseError
from core.refusal import Refusal
from domain.identity import Identity
from domain.words import normalize
from storage import org, reports
from storage.org import Member
from storage.reports import Report
from texts import common as tc
from texts import members as t


def resolve_member(members: list[Member], text: str) -> Member:
    """Pick a member by their number in the list or by (part of) their name."""
    cleaned = normalize(text).rstrip(" .")
    if re.fullmatch(r"\d{1,6}", cleaned, re.ASCII):
        number = int(cleaned)
        if not 1 <= number <= len(members):
            raise ParseError(t.member_number_out_of_range(len(members)))
        return members[number - 1]
    found = member_named(members, text)
    if found is None:
        raise ParseError(t.member_not_found(text.strip()))
    return found


def member_named(members: list[Member], text: str) -> Member | None:
    """Return the member whose name (or whole words of it) the text gives; list several that fit."""
    cleaned = normalize(text).rstrip(" .")
    exact = [m for m in members if normalize(m.full_name) == cleaned]
    if len(exact) == 1:
        return exact[0]
    matches = [m for m in members if f" {cleaned} " in f" {normalize(m.full_name)} "]
    if len(matches) == 1:
        return matches[0]
    if matches:
        numbered = [f"{members.index(m) + 1}. {m.full_name}" for m in matches]
        raise ParseError(t.member_ambiguous(numbered))
    return None


def committee_of(me: Identity) -> int | None:
    """Return the committee whose whole ward this person reads as a committee member, if any."""
    return min(me.committee_ids) if me.committee_ids else None


def reads_cells(me: Identity) -> bool:
    """Tell whether this person reads cells' reports and rosters at all: the committee and cell leaders."""
    return bool(me.roles & CELL_AND_COMMITTEE)


async def cell_for_leader(ctx: Ctx) -> org.Cell | None:
    """Return the cell the sender leads, if any."""
    grant = ctx.me.led_cell
    return None if grant is None or grant.cell_id is None else await org.get_cell(ctx.conn, grant.cell_id)


async def cell_in_reach(conn: AsyncConnection, me: Identity, cell_id: int) -> org.Cell:
    """Return a cell this person may see; refuse any other (ids come from user input)."""
    cell = await org.get_cell(conn, cell_id)
    if not me.can_see_cell(cell.id, cell.committee_id):
        raise Refusal(tc.CELL_OUT_OF_REACH)
    return cell


async def visible_cell(ctx: Ctx, cell_id: int) -> org.Cell:
    """Return a cell the sender may see; refuse any other."""
    return await cell_in_reach(ctx.conn, ctx.me, cell_id)


async def member_in_reach(ctx: Ctx, member_id: int) -> Member:
    """Return a member whose cell the sender may see, or the sender's own roster entry."""
    member = await org.get_member(ctx.conn, member_id)
    if member.id != ctx.me.member_id:
        await visible_cell(ctx, member.cell_id)
    return member


async def cell_pages_in_reach(conn: AsyncConnection, me: Identity, cell_id: int) -> org.Cell:
    """Return a cell whose reports and roster this person reads, as in /xembaocao; refuse others."""
    if not reads_cells(me):
        raise Refusal(tc.CELL_OUT_OF_REACH)
    return await cell_in_reach(conn, me, cell_id)


async def card_in_reach(conn: AsyncConnection, me: Identity, member_id: int) -> Member:
    """Return a member whose card this person reads: their own, or one in a cell whose roster they read."""
    member = await org.get_member(conn, member_id)
    if member.id != me.member_id:
        await cell_pages_in_reach(conn, me, member.cell_id)
    return member


async def report_in_reach(conn: AsyncConnection, me: Identity, report_id: int) -> Report | None:
    """Return a filed report this person may read, or None for one out of reach or not filed."""
    report = await reports.get_report(conn, report_id)
    if report is None:
        return None
    cell = await org.get_cell(conn, report.cell_id)
    return report if reads_cells(me) and me.can_see_cell(cell.id, cell.committee_id) else None
