"""Web logins: one-time links that expire, sessions that last a working day, only token digests stored."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from admin.demo_data import DemoWard
from core.app import App
from domain.clock import FixedClock
from storage import web
from storage.db import Database
from tests.conftest import chat_as

TEN_MINUTES = timedelta(minutes=10)
DAY = timedelta(hours=9)


async def _holder(app: App, db: Database, ward: DemoWard) -> tuple[int, int]:
    """Return the person and account ids of a committee member with a bound account."""
    chat = await chat_as(app, db, ward.committee_people[0].full_name)
    async with db.begin() as conn:
        row = (
            await conn.execute(
                sa.text("SELECT id, person_id FROM accounts WHERE chat_id = :c"), {"c": chat.chat_id}
            )
        ).one()
    return row.person_id, row.id


async def test_a_link_opens_once(app: App, db: Database, clock: FixedClock, ward: DemoWard) -> None:
    """The first opening of a live link logs its person in; a second finds it used."""
    person_id, account_id = await _holder(app, db, ward)
    async with db.begin() as conn:
        token = await web.create_link(conn, person_id, account_id, clock.now(), TEN_MINUTES)
    async with db.begin() as conn:
        first = await web.open_link(conn, token, clock.now())
    async with db.begin() as conn:
        second = await web.open_link(conn, token, clock.now())
    assert first.outcome == web.OPENED and first.holder is not None and first.holder.person_id == person_id
    assert (second.outcome, second.holder) == (web.USED, None)


async def test_a_link_expires_after_ten_minutes(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A link opened ten minutes after it was made is expired, not used."""
    person_id, account_id = await _holder(app, db, ward)
    async with db.begin() as conn:
        token = await web.create_link(conn, person_id, account_id, clock.now(), TEN_MINUTES)
    clock.advance(TEN_MINUTES)
    async with db.begin() as conn:
        assert (await web.open_link(conn, token, clock.now())).outcome == web.EXPIRED


async def test_an_unknown_token_opens_nothing(db: Database, clock: FixedClock) -> None:
    """A made-up token is unknown."""
    async with db.begin() as conn:
        assert (await web.open_link(conn, "made-up", clock.now())).outcome == web.UNKNOWN


async def test_only_the_digest_of_a_token_is_stored(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """Neither a link's nor a session's token is found in the database, only its sha256."""
    person_id, account_id = await _holder(app, db, ward)
    async with db.begin() as conn:
        link = await web.create_link(conn, person_id, account_id, clock.now(), TEN_MINUTES)
        session, _ = await web.create_session(conn, person_id, account_id, clock.now(), DAY)
        stored = {
            row.token_hash
            for table in (web.web_links, web.web_sessions)
            for row in await conn.execute(sa.select(table.c.token_hash))
        }
    assert stored == {web.token_hash(link), web.token_hash(session)}


async def test_a_session_lasts_its_hours(app: App, db: Database, clock: FixedClock, ward: DemoWard) -> None:
    """A session opens pages until its hours are over."""
    person_id, account_id = await _holder(app, db, ward)
    async with db.begin() as conn:
        token, _ = await web.create_session(conn, person_id, account_id, clock.now(), DAY)
    clock.advance(DAY - timedelta(seconds=1))
    async with db.begin() as conn:
        assert await web.find_session(conn, token, clock.now()) is not None
    clock.advance(timedelta(seconds=1))
    async with db.begin() as conn:
        assert await web.find_session(conn, token, clock.now()) is None


async def test_ending_sessions_ends_every_one_and_the_unopened_links(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """Ending a person's sessions closes all of them and leaves no link of theirs to open."""
    person_id, account_id = await _holder(app, db, ward)
    async with db.begin() as conn:
        first, _ = await web.create_session(conn, person_id, account_id, clock.now(), DAY)
        second, _ = await web.create_session(conn, person_id, account_id, clock.now(), DAY)
        link = await web.create_link(conn, person_id, account_id, clock.now(), TEN_MINUTES)
        assert await web.end_sessions(conn, person_id, clock.now()) == 2
        assert await web.find_session(conn, first, clock.now()) is None
        assert await web.find_session(conn, second, clock.now()) is None
        assert (await web.open_link(conn, link, clock.now())).outcome == web.USED
