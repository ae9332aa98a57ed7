"""Group chats: forms, personal data and joining happen only in a private chat with the person."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from admin.demo_data import DemoWard
from core.app import App
from storage import accounts, conversations, org
from storage.conversations import Conversation
from storage.db import Database
from storage.tables import roles
from tests.conftest import Chat, chat_as

PRIVATE_ONLY = "Đề nghị đồng chí nhắn riêng cho trợ lý."
GROUP = "-100777"


async def test_a_form_is_not_started_in_a_group(app: App, db: Database, ward: DemoWard) -> None:
    """/baocao typed by a secretary in a group is refused there and opens no form for the group."""
    secretary = (await chat_as(app, db, ward.cells[0].secretary)).in_group(GROUP)
    await secretary.say("/baocao@chibo_bot")
    assert secretary.text() == PRIVATE_ONLY
    async with db.begin() as conn:
        assert await conversations.load(conn, "test", GROUP) is None


async def test_committee_invite_form_is_not_opened_in_a_group(app: App, db: Database, ward: DemoWard) -> None:
    """/moi in a group is refused, so nobody else in the group can press its buttons."""
    chief = (await chat_as(app, db, ward.committee_people[0].full_name)).in_group(GROUP)
    await chief.say("/moi")
    assert chief.text() == PRIVATE_ONLY
    async with db.begin() as conn:
        assert await conversations.load(conn, "test", GROUP) is None


async def test_a_strangers_cancel_leaves_the_group_conversation(
    app: App, db: Database, ward: DemoWard
) -> None:
    """A stranger's /huy in a group touches no form kept for that chat."""
    kept = Conversation("report", "meeting_on", {"params": {}, "draft": {"x": 1}, "history": []})
    async with db.begin() as conn:
        await conversations.save(conn, "test", GROUP, kept, app.services.clock.now())
    stranger = Chat(app, GROUP, sender_id="stranger-1", group=True)
    await stranger.say("/huy")
    assert stranger.text() == PRIVATE_ONLY
    async with db.begin() as conn:
        still = await conversations.load(conn, "test", GROUP)
    assert still is not None and still.state["draft"] == {"x": 1}


async def test_a_step_answer_is_not_taken_in_a_group(app: App, db: Database, ward: DemoWard) -> None:
    """A typed answer in a group is not taken as the answer to a form kept for that chat."""
    kept = Conversation("invite", "role", {"params": {"committee_id": 1}, "draft": {}, "history": []})
    async with db.begin() as conn:
        await conversations.save(conn, "test", GROUP, kept, app.services.clock.now())
    stranger = Chat(app, GROUP, sender_id="stranger-2", group=True)
    await stranger.say("1")
    assert stranger.text() == PRIVATE_ONLY
    async with db.begin() as conn:
        still = await conversations.load(conn, "test", GROUP)
    assert still is not None and still.step == "role" and still.state["draft"] == {}


async def test_a_code_typed_in_a_group_binds_nothing(app: App, db: Database, ward: DemoWard) -> None:
    """An invite code typed in a group is refused: the invite stays unused and no account is bound."""
    now = app.services.clock.now()
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        invite = await accounts.create_invite(
            conn, role="committee", committee_id=committee.id, cell_id=None, now=now, ttl=timedelta(days=7)
        )
    newcomer = Chat(app, GROUP, sender_id="newcomer-1", group=True)
    await newcomer.say(invite.code)
    assert newcomer.text() == PRIVATE_ONLY
    await newcomer.say(f"/start {invite.code}")
    assert newcomer.text() == PRIVATE_ONLY
    async with db.begin() as conn:
        assert (await accounts.find_invite(conn, invite.code)).used_at is None  # type: ignore[union-attr]
        assert await accounts.identify(conn, "test", "newcomer-1") is None


async def test_the_group_registration_is_answered_in_a_group(app: App, db: Database, ward: DemoWard) -> None:
    """/nhomtonghop, meant for a group, is answered in the group."""
    chief = (await chat_as(app, db, ward.committee_people[0].full_name, channel="telegram")).in_group(GROUP)
    await chief.say("/nhomtonghop")
    assert "Nhóm chat này sẽ nhận bản tổng hợp định kỳ" in chief.text()


async def test_the_group_registration_is_refused_to_a_secretary(
    app: App, db: Database, ward: DemoWard
) -> None:
    """A secretary typing /nhomtonghop in a group is refused by role."""
    secretary = (await chat_as(app, db, ward.cells[0].secretary, channel="telegram")).in_group(GROUP)
    await secretary.say("/nhomtonghop")
    assert "không thuộc quyền" in secretary.text()


async def test_submit_rechecks_the_role(app: App, db: Database, ward: DemoWard) -> None:
    """A committee member whose role is taken away mid-form cannot submit the invite."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/moi")
    await chief.press("Ủy viên Đảng ủy / UBKT")
    await chief.say("bỏ qua")
    await chief.say("bỏ qua")
    assert "Gửi" in [o.label for m in chief.last for o in m.options]
    async with db.begin() as conn:
        identity = await accounts.identify(conn, "test", chief.chat_id)
        assert identity is not None
        await conn.execute(sa.delete(roles).where(roles.c.person_id == identity.person_id))
        before = len(await accounts.list_invites(conn))
    await chief.press("Gửi")
    assert "không thuộc quyền" in chief.text()
    async with db.begin() as conn:
        assert len(await accounts.list_invites(conn)) == before
