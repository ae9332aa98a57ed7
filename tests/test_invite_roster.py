"""Invites name their roster row: a member is picked from the roster and joining links them to it."""

from __future__ import annotations

import pytest

from admin.commands import AdminError, create_invite
from admin.demo_data import DemoWard
from core.app import App
from domain.clock import FixedClock
from storage import accounts, org
from storage.db import Database
from tests.conftest import Chat, chat_as


def code_in(text: str) -> str:
    """Return the code from the answer that hands over an invite."""
    return next(line.split(": ")[1] for line in text.splitlines() if line.startswith("Mã mời:"))


async def member_row(db: Database, cell_name: str, full_name: str) -> int:
    """Return the id of a roster row by cell and name."""
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        cell = await org.find_cell(conn, committee.id, cell_name)
        assert cell is not None
        [member] = await org.members_named(conn, cell.id, full_name)
    return member.id


async def test_moi_picks_a_member_from_the_roster_and_joining_links_them(
    app: App, db: Database, ward: DemoWard
) -> None:
    """/moi for a member offers the cell's roster; the member who joins is linked to their row."""
    cell = ward.cells[2]
    invitee = next(m.full_name for m in cell.members if m.full_name not in (cell.secretary, cell.deputy))
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/moi")
    await chief.press("Đảng viên")
    await chief.press(cell.name)
    await chief.press(invitee)
    await chief.press("Gửi")
    newcomer = Chat(app, "9201")
    await newcomer.say(code_in(chief.text()))
    await newcomer.press("Xác nhận")
    assert f"Chào đồng chí {invitee}" in newcomer.text()
    async with db.begin() as conn:
        identity = await accounts.identify(conn, "test", "9201")
    assert identity is not None and identity.member_id == await member_row(db, cell.name, invitee)


async def test_admin_member_invite_must_match_the_roster(
    db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """`admin invite --role member` with a name not on the cell's roster is refused, clearly."""
    with pytest.raises(AdminError, match="Không có đảng viên «Người Lạ Mặt» trong danh sách"):
        await create_invite(
            db, clock, 7, role="member", cell_name=ward.cells[0].name, committee_name=None,
            full_name="Người Lạ Mặt", title=None,
        )  # fmt: skip


async def test_admin_member_invite_needs_a_name(db: Database, clock: FixedClock, ward: DemoWard) -> None:
    """`admin invite --role member` without --name is refused."""
    with pytest.raises(AdminError, match="--name"):
        await create_invite(
            db, clock, 7, role="member", cell_name=ward.cells[0].name, committee_name=None,
            full_name=None, title=None,
        )  # fmt: skip


async def test_admin_invite_links_the_roster_row(db: Database, clock: FixedClock, ward: DemoWard) -> None:
    """A member's invite from the command line, and a leader's whose name is on the roster, name their row."""
    cell = ward.cells[0]
    member = next(m.full_name for m in cell.members if m.full_name not in (cell.secretary, cell.deputy))
    for role, name in (("member", member.upper()), ("secretary", cell.secretary)):
        lines = await create_invite(
            db, clock, 7, role=role, cell_name=cell.name, committee_name=None, full_name=name, title=None
        )
        async with db.begin() as conn:
            invite = await accounts.find_invite(conn, lines[-1])
        assert invite is not None
        assert invite.member_id == await member_row(db, cell.name, name)
