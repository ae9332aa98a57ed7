"""Invite codes cannot be guessed: five wrong codes in ten minutes pause code entry, said plainly."""

from __future__ import annotations

from datetime import timedelta

from admin.demo_data import DemoWard
from core.app import App
from domain.clock import FixedClock
from storage.db import Database
from tests.conftest import Chat
from tests.test_accounts import make_invite

WRONG = ["AAAAAAAA", "BBBBBBBB", "CCCCCCCC", "DDDDDDDD", "EEEEEEEE"]


async def test_five_wrong_codes_pause_even_the_right_one(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """After five wrong codes the right one is refused too, with the time entry opens again."""
    code = await make_invite(db, clock, "member", "Chi bộ 12", "Phạm Văn Cường")
    guesser = Chat(app, "9101")
    for wrong in WRONG:
        await guesser.say(wrong)
        assert "không đúng" in guesser.text()
    await guesser.say(f"/start {code}")
    assert "nhập sai mã 5 lần trong 10 phút" in guesser.text() and "09:10 10/09/2015" in guesser.text()


async def test_entry_opens_again_after_the_window(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """Ten minutes after the first of five wrong codes, a right code is taken again."""
    code = await make_invite(db, clock, "member", "Chi bộ 12", "Phạm Văn Cường")
    guesser = Chat(app, "9102")
    for wrong in WRONG:
        await guesser.say(wrong)
    clock.advance(timedelta(minutes=10))
    await guesser.say(code)
    assert "Phạm Văn Cường" in guesser.text()


async def test_another_chat_is_not_paused(app: App, db: Database, clock: FixedClock, ward: DemoWard) -> None:
    """One chat's wrong codes do not pause another's."""
    code = await make_invite(db, clock, "member", "Chi bộ 12", "Phạm Văn Cường")
    guesser = Chat(app, "9103")
    for wrong in WRONG:
        await guesser.say(wrong)
    other = Chat(app, "9104")
    await other.say(code)
    assert "Phạm Văn Cường" in other.text()


async def test_four_wrong_codes_do_not_pause(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A few typing mistakes are no pause."""
    code = await make_invite(db, clock, "member", "Chi bộ 12", "Phạm Văn Cường")
    guesser = Chat(app, "9105")
    for wrong in WRONG[:4]:
        await guesser.say(wrong)
    await guesser.say(code)
    assert "Phạm Văn Cường" in guesser.text()
