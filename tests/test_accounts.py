"""Joining with invite codes, greetings by role, and who may do what."""

from __future__ import annotations

from datetime import timedelta

from admin.demo_data import DemoWard
from core.app import App
from domain.clock import FixedClock
from storage import accounts, conversations, org
from storage.db import Database
from tests.conftest import Chat, chat_as


async def make_invite(
    db: Database, clock: FixedClock, role: str, cell: str | None, name: str | None = None
) -> str:
    """Create an invite in the demo ward and return its code."""
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        cell_id = (await org.find_cell(conn, committee.id, cell)).id if cell else None
        invite = await accounts.create_invite(
            conn,
            role=role,
            committee_id=committee.id,
            cell_id=cell_id,
            now=clock.now(),
            ttl=timedelta(days=7),
            full_name=name,
        )
    return invite.code


async def test_invite_binds_account_and_greets_by_role(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A newcomer with a named invite confirms and is greeted as secretary of their cell."""
    code = await make_invite(db, clock, "secretary", "Chi bộ 12", "Nguyễn Văn An")
    chat = Chat(app, "9001")
    await chat.say(f"/start {code}")
    assert "Nguyễn Văn An" in chat.text() and "Bí thư Chi bộ 12" in chat.text()
    await chat.press("Xác nhận")
    assert "Chào đồng chí Nguyễn Văn An, Bí thư Chi bộ 12" in chat.text()
    assert "/help" in chat.text()


async def test_bare_code_works_like_start(app: App, db: Database, clock: FixedClock, ward: DemoWard) -> None:
    """Typing just the code, in lower case, starts joining."""
    code = await make_invite(db, clock, "member", "Chi bộ 14", "Trần Thị Bình")
    chat = Chat(app, "9002")
    await chat.say(code.lower())
    assert "Trần Thị Bình" in chat.text()


async def test_unnamed_invite_asks_for_the_name(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """An invite without a name asks the newcomer's full name and refuses a single word."""
    code = await make_invite(db, clock, "deputy", "Chi bộ 14")
    chat = Chat(app, "9003")
    await chat.say(f"/start {code}")
    await chat.say("Bình")
    assert "Chưa hợp lệ" in chat.text() and "ít nhất hai chữ" in chat.text()
    await chat.say("lê văn bình")
    await chat.say("1")
    assert "Chào đồng chí Lê Văn Bình, Phó Bí thư Chi bộ 14" in chat.text()


async def test_used_invite_is_refused(app: App, db: Database, clock: FixedClock, ward: DemoWard) -> None:
    """A code works once; the second person is told it was used."""
    code = await make_invite(db, clock, "member", "Chi bộ 12", "Phạm Văn Cường")
    first = Chat(app, "9004")
    await first.say(f"/start {code}")
    await first.press("Xác nhận")
    second = Chat(app, "9005")
    await second.say(f"/start {code}")
    assert "đã được sử dụng" in second.text()


async def test_expired_invite_is_refused_with_its_date(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A code past its 7 days is refused, naming the day it expired."""
    code = await make_invite(db, clock, "member", "Chi bộ 12", "Phạm Văn Cường")
    clock.advance(timedelta(days=8))
    chat = Chat(app, "9006")
    await chat.say(f"/start {code}")
    assert "đã hết hạn ngày 17/09/2015" in chat.text()


async def test_wrong_code_is_explained(app: App, ward: DemoWard) -> None:
    """A code that does not exist gets a reason and what to do."""
    chat = Chat(app, "9007")
    await chat.say("/start ABCD2345")
    assert "không đúng" in chat.text()


async def test_unknown_account_only_learns_how_to_join(app: App, ward: DemoWard) -> None:
    """An unknown account asking for a report gets the joining explanation and nothing else."""
    chat = Chat(app, "9008")
    replies = await chat.say("/baocao")
    assert len(replies) == 1 and "mã mời" in chat.text()
    await chat.say("xin chào")
    assert "mã mời" in chat.text()


async def test_not_me_leaves_the_invite_unused(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """Answering «Không phải tôi» keeps the code usable by the right person."""
    code = await make_invite(db, clock, "member", "Chi bộ 12", "Phạm Văn Cường")
    stranger = Chat(app, "9009")
    await stranger.say(f"/start {code}")
    await stranger.press("Không phải tôi")
    assert "chưa được sử dụng" in stranger.text()
    owner = Chat(app, "9010")
    await owner.say(f"/start {code}")
    await owner.press("Xác nhận")
    assert "Chào đồng chí Phạm Văn Cường" in owner.text()


async def test_committee_member_creates_invite_in_chat(app: App, db: Database, ward: DemoWard) -> None:
    """/moi walks a committee member through role, cell and name, then gives a working code."""
    chief = ward.committee_people[0].full_name
    chat = await chat_as(app, db, chief)
    await chat.say("/moi")
    await chat.press("Bí thư chi bộ")
    await chat.press("Chi bộ 14")
    await chat.say("Hoàng Văn Dũng")
    assert "Chi bộ 14" in chat.text() and "Hoàng Văn Dũng" in chat.text()
    await chat.press("Gửi")
    code = next(line.split(": ")[1] for line in chat.text().splitlines() if line.startswith("Mã mời:"))
    newcomer = Chat(app, "9011")
    await newcomer.say(f"/start {code}")
    await newcomer.press("Xác nhận")
    assert "Chào đồng chí Hoàng Văn Dũng, Bí thư Chi bộ 14" in newcomer.text()


async def test_secretary_cannot_create_invites(app: App, db: Database, ward: DemoWard) -> None:
    """/moi belongs to the committee; a secretary is told it is not theirs."""
    chat = await chat_as(app, db, ward.cells[0].secretary)
    await chat.say("/moi")
    assert "không thuộc quyền" in chat.text()


async def test_help_lists_the_roles_commands(app: App, db: Database, ward: DemoWard) -> None:
    """«trợ giúp» typed without diacritics shows the committee member's commands."""
    chat = await chat_as(app, db, ward.committee_people[0].full_name)
    await chat.say("tro giup")
    assert "/moi" in chat.text()
    secretary = await chat_as(app, db, ward.cells[0].secretary)
    await secretary.say("/help")
    assert "/moi" not in secretary.text()


async def test_committee_help_lists_no_command_it_would_refuse(
    app: App, db: Database, ward: DemoWard
) -> None:
    """A committee member's /help leaves out /dangky and /capnhat, which it would refuse."""
    chat = await chat_as(app, db, ward.committee_people[0].full_name)
    await chat.say("/help")
    menu = chat.text()
    assert "/dangky" not in menu and "/capnhat" not in menu
    for name in ("dangky", "capnhat"):
        await chat.say(f"/{name}")
        assert "không thuộc quyền" in chat.text()


async def test_greeting_help_and_first_answer_say_it_is_an_automated_assistant(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """Whoever writes learns they talk to software and what it keeps: on joining, in /help, as a stranger."""
    stranger = Chat(app, "9013")
    await stranger.say("xin chào")
    assert "trợ lý tự động" in stranger.text() and "lưu họ tên" in stranger.text()
    code = await make_invite(db, clock, "member", "Chi bộ 12", "Phạm Văn Cường")
    await stranger.say(f"/start {code}")
    await stranger.press("Xác nhận")
    assert "trợ lý tự động" in stranger.text()
    await stranger.say("/help")
    assert "trợ lý tự động" in stranger.text() and "lưu họ tên" in stranger.text()


async def test_duplicate_update_is_handled_once(app: App, ward: DemoWard) -> None:
    """The same platform update delivered twice gets one answer."""
    chat = Chat(app, "9012")
    inbound = chat._inbound(text="/help")
    assert await chat.send(inbound)
    assert await chat.send(inbound) == []


async def test_identify_in_chat_reads_the_sender_and_the_open_flow_at_once(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """One lookup gives what identify and conversations.load give apart, known sender or not."""
    secretary = await chat_as(app, db, ward.cells[0].secretary)
    await secretary.say("/baocao")
    stranger = Chat(app, "9020")
    async with db.begin() as conn:
        # An unknown account with an open flow: joining by invite asks for a name first.
        await conversations.save(
            conn, "test", stranger.chat_id, conversations.Conversation("join", "name", {"k": 1}), clock.now()
        )
    async with db.begin() as conn:
        for chat in (secretary, stranger):
            identity, conversation, _ = await accounts.identify_in_chat(
                conn, "test", chat.chat_id, chat.chat_id
            )
            assert identity == await accounts.identify(conn, "test", chat.chat_id)
            assert conversation == await conversations.load(conn, "test", chat.chat_id)
            assert conversation is not None
        identity, conversation, _ = await accounts.identify_in_chat(
            conn, "test", secretary.chat_id, "elsewhere"
        )
        assert identity is not None and identity.led_cell is not None and conversation is None
        assert await accounts.identify_in_chat(conn, "test", "nobody", "nowhere") == (None, None, None)
