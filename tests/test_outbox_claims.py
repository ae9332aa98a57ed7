"""The outbox table: one row per key, atomic claims, deferral and expiry."""

from __future__ import annotations

from datetime import timedelta

from core.messages import Outbound
from domain.clock import FixedClock
from storage import outbox
from storage.db import Database


async def plan(db: Database, clock: FixedClock, period: str, **extra: object) -> bool:
    """Plan one message to a chat."""
    async with db.begin() as conn:
        return await outbox.plan(
            conn,
            outbox.to_chat("test", "1"),
            Outbound(period),
            kind="notice",
            key=period,
            due_at=clock.now(),
            now=clock.now(),
            **extra,
        )


async def test_same_key_is_planned_once(db: Database, clock: FixedClock) -> None:
    """A second enqueue with the same kind, target and period inserts nothing."""
    assert await plan(db, clock, "9/2015")
    assert not await plan(db, clock, "9/2015")
    async with db.begin() as conn:
        assert len(await outbox.rows_by_status(conn, outbox.PENDING)) == 1


async def test_a_claimed_row_is_not_claimed_again(db: Database, clock: FixedClock) -> None:
    """Two dispatchers claiming in turn never get the same row."""
    await plan(db, clock, "a")
    await plan(db, clock, "b")
    async with db.begin() as conn:
        first = await outbox.claim_due(conn, "one", clock.now(), 1)
    async with db.begin() as conn:
        second = await outbox.claim_due(conn, "two", clock.now(), 10)
    assert [r.period for r in first] == ["a"] and [r.period for r in second] == ["b"]


async def test_deferring_does_not_count_an_attempt(db: Database, clock: FixedClock) -> None:
    """A row put back for quiet hours or pace keeps its attempt count."""
    await plan(db, clock, "a")
    async with db.begin() as conn:
        [row] = await outbox.claim_due(conn, "one", clock.now(), 1)
        await outbox.defer(conn, row.id, clock.now() + timedelta(hours=1))
        [again] = await outbox.rows_by_status(conn, outbox.PENDING)
    assert again.attempts == 0 and again.due_at == clock.now() + timedelta(hours=1)


async def test_expiry_is_kept_and_applied(db: Database, clock: FixedClock) -> None:
    """A row planned with an expiry reads it back, and is expired once due past it."""
    expires = clock.now() + timedelta(days=1)
    await plan(db, clock, "a", expires_at=expires)
    async with db.begin() as conn:
        assert await outbox.expire_due(conn, clock.now()) == []
        [row] = await outbox.rows_by_status(conn, outbox.PENDING)
        assert row.expires_at == expires
        [expired] = await outbox.expire_due(conn, expires)
    assert expired.period == "a"


async def test_next_due_tells_the_earliest_pending_row(db: Database, clock: FixedClock) -> None:
    """The dispatcher can sleep until the earliest pending row."""
    async with db.begin() as conn:
        assert await outbox.next_due(conn) is None
    await plan(db, clock, "a")
    async with db.begin() as conn:
        assert await outbox.next_due(conn) == clock.now()
