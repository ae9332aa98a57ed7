"""One person on Telegram and Zalo: /lienket links a second account, /kenhnhac picks where reminders go."""

from __future__ import annotations

from datetime import timedelta

from admin.demo_data import DemoWard
from core.app import App
from domain.clock import FixedClock
from storage import accounts
from storage.db import Database
from tests.conftest import Chat, chat_as


def code_in(text: str) -> str:
    """Return the code from the /lienket answer."""
    return next(line.split(": ")[1] for line in text.splitlines() if line.startswith("Mã liên kết:"))


async def linked_pair(app: App, db: Database, full_name: str) -> tuple[Chat, Chat]:
    """Return a person's Telegram chat and the Zalo chat linked to it by /lienket."""
    telegram = await chat_as(app, db, full_name, channel="telegram")
    await telegram.say("/lienket")
    zalo = Chat(app, "a1b2c3d4e5f6a7b8c9d0", channel="zalo", name="Zalo name")
    await zalo.say(code_in(telegram.text()))
    await zalo.say("1")
    return telegram, zalo


async def test_link_code_binds_a_zalo_account_to_the_same_person(
    app: App, db: Database, ward: DemoWard
) -> None:
    """A code from /lienket sent from Zalo greets the same person with the same role."""
    secretary = ward.cells[0].secretary
    telegram, zalo = await linked_pair(app, db, secretary)
    assert "Chào đồng chí " + secretary in zalo.text()
    async with db.begin() as conn:
        on_telegram = await accounts.identify(conn, "telegram", telegram.chat_id)
        on_zalo = await accounts.identify(conn, "zalo", zalo.chat_id)
    assert on_telegram is not None and on_zalo is not None
    assert on_zalo.person_id == on_telegram.person_id and on_zalo.roles == on_telegram.roles


async def test_link_code_says_how_to_use_it_and_when_it_expires(
    app: App, db: Database, ward: DemoWard
) -> None:
    """The answer names the command to send from the other app and the expiry time."""
    chat = await chat_as(app, db, ward.cells[0].secretary, channel="telegram")
    await chat.say("lien ket")
    code = code_in(chat.text())
    assert f"/start {code}" in chat.text() and "hết hạn lúc 10:00 10/09/2015" in chat.text()
    assert "Đang liên kết: Telegram" in chat.text()


async def test_link_code_expires_after_an_hour(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A link code is short-lived."""
    chat = await chat_as(app, db, ward.cells[0].secretary, channel="telegram")
    await chat.say("/lienket")
    clock.advance(timedelta(hours=1, minutes=1))
    zalo = Chat(app, "b1b2c3d4e5f6a7b8c9d0", channel="zalo")
    await zalo.say(code_in(chat.text()))
    assert "đã hết hạn" in zalo.text()


async def test_link_code_moves_an_account_of_someone_else(app: App, db: Database, ward: DemoWard) -> None:
    """An account already bound to another person is bound to the person the code was made for."""
    secretary, deputy = ward.cells[0].secretary, ward.cells[0].deputy
    telegram = await chat_as(app, db, secretary, channel="telegram")
    await telegram.say("/lienket")
    other = await chat_as(app, db, deputy, channel="zalo")
    await other.say("/start " + code_in(telegram.text()))
    await other.say("1")
    assert "Chào đồng chí " + secretary in other.text()


async def test_reminder_app_needs_a_second_app(app: App, db: Database, ward: DemoWard) -> None:
    """With one app only, /kenhnhac explains how to link another."""
    chat = await chat_as(app, db, ward.cells[0].secretary, channel="telegram")
    await chat.say("/kenhnhac")
    assert "/lienket" in chat.text() and "Telegram" in chat.text()


async def test_reminders_go_to_the_chosen_app(app: App, db: Database, ward: DemoWard) -> None:
    """Choosing Zalo by its number puts the Zalo account first for reminders and notices."""
    telegram, zalo = await linked_pair(app, db, ward.cells[0].secretary)
    await telegram.say("/kenhnhac")
    assert "hiện gửi qua Telegram" in telegram.text()
    assert [o.label for o in telegram.last[-1].options] == ["Telegram", "Zalo"]
    await telegram.say("2")
    assert "qua Zalo" in telegram.text()
    async with db.begin() as conn:
        person = await accounts.identify(conn, "telegram", telegram.chat_id)
        assert person is not None
        refs = await accounts.person_accounts(conn, person.person_id)
    assert refs[0].channel == "zalo" and refs[0].chat_id == zalo.chat_id


async def test_link_code_is_refused_on_the_same_app_by_someone_else(
    app: App, db: Database, ward: DemoWard
) -> None:
    """A committee member on Telegram sending a secretary's Telegram link code stays who they are."""
    secretary, chief = ward.cells[0].secretary, ward.committee_people[0].full_name
    telegram = await chat_as(app, db, secretary, channel="telegram")
    await telegram.say("/lienket")
    other = await chat_as(app, db, chief, channel="telegram")
    await other.say("/start " + code_in(telegram.text()))
    assert "chỉ dùng được từ ứng dụng khác Telegram" in other.text()
    async with db.begin() as conn:
        identity = await accounts.identify(conn, "telegram", other.chat_id)
    assert identity is not None and identity.full_name == chief and "committee" in identity.roles


async def test_link_code_asks_before_moving_an_account(app: App, db: Database, ward: DemoWard) -> None:
    """From the other app, an account of someone else is told whose it is and what it would lose."""
    secretary, deputy = ward.cells[0].secretary, ward.cells[0].deputy
    telegram = await chat_as(app, db, secretary, channel="telegram")
    await telegram.say("/lienket")
    other = await chat_as(app, db, deputy, channel="zalo")
    await other.say("/start " + code_in(telegram.text()))
    assert (
        f"đang là của đồng chí {deputy}" in other.text()
        and f"chuyển sang đồng chí {secretary}" in other.text()
    )
    await other.press("Không phải tôi")
    async with db.begin() as conn:
        identity = await accounts.identify(conn, "zalo", other.chat_id)
    assert identity is not None and identity.full_name == deputy


async def test_own_link_code_changes_nothing(app: App, db: Database, ward: DemoWard) -> None:
    """Sending one's own link code from the same account says it is already theirs."""
    telegram = await chat_as(app, db, ward.cells[0].secretary, channel="telegram")
    await telegram.say("/lienket")
    await telegram.say("/start " + code_in(telegram.text()))
    assert "đã là của đồng chí" in telegram.text()
