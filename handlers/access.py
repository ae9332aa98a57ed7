"""Who may see which cell and member: the access rules the chat and the web views share."""

from __future__ import annotations

import re

from core.context import Ctx
from core.parsing import ParseError
from core.refusal import Refusal
from domain.words import normalize
from storage import org
from storage.org import Member
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


async def cell_for_leader(ctx: Ctx) -> org.Cell | None:
    """Return the cell the sender leads, if any."""
    grant = ctx.me.led_cell
    return None if grant is None or grant.cell_id is None else await org.get_cell(ctx.conn, grant.cell_id)


async def visible_cell(ctx: Ctx, cell_id: int) -> org.Cell:
    """Return a cell the sender may see; refuse any other (ids come from user input)."""
    cell = await org.get_cell(ctx.conn, cell_id)
    if not ctx.me.can_see_cell(cell.id, cell.committee_id):
        raise Refusal(tc.CELL_OUT_OF_REACH)
    return cell


async def member_in_reach(ctx: Ctx, member_id: int) -> Member:
    """Return a member whose cell the sender may see, or the sender's own roster entry."""
    member = await org.get_member(ctx.conn, member_id)
    if member.id != ctx.me.member_id:
        await visible_cell(ctx, member.cell_id)
    return member
