"""Pledge storage: items with their latest progress, gaps per cell, reviews, ranking scales."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import pytest
from alembic import command
from sqlalchemy.ext.asyncio import AsyncConnection

from admin.demo_data import DemoWard
from domain.clock import FixedClock
from domain.digest import PledgeFigures
from domain.pledges import NONE, SPECIFIC, VAGUE, standing
from storage import org, pledges
from storage import roster as roster_store
from storage.db import Database, alembic_config
from storage.pledges import NewItem
from tests.conftest import item_updates

CONCRETE = NewItem("Viết 2 bài tuyên truyền", "Tuyên truyền", "2 bài", date(2015, 8, 31), None, "Bản in")


async def _cell(db: Database, name: str) -> tuple[int, list[org.Member]]:
    """Return a demo cell's id and its roster."""
    async with db.begin() as conn:
        cell = await org.find_cell(conn, None, name)
        return cell.id, await org.list_members(conn, cell.id)


async def test_latest_update_gives_the_item_status(db: Database, clock: FixedClock, ward: DemoWard) -> None:
    """An item reads as not started until updated, then as its latest update says."""
    _, roster = await _cell(db, ward.cells[0].name)
    async with db.begin() as conn:
        item_id = await _add(conn, roster[0].id, CONCRETE, clock.now())
        assert (await pledges.member_items(conn, roster[0].id, 2015))[0].status == "not_started"
        for status, day in (("in_progress", date(2015, 5, 1)), ("done", date(2015, 8, 20))):
            await _progress(conn, item_id, status, day, clock.now())
        item = (await pledges.member_items(conn, roster[0].id, 2015))[0]
    assert (item.status, item.updated_on) == ("done", date(2015, 8, 20))


async def test_pledge_gaps_counts_missing_vague_stale_and_overdue(
    db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """The gaps name members without a pledge or with vague items, and count stale and overdue items."""
    cell_id, roster = await _cell(db, ward.cells[1].name)
    first, second = roster[0], roster[1]
    async with db.begin() as conn:
        await pledges.add_item(
            conn,
            member_id=first.id,
            year=2015,
            item=CONCRETE,
            problems=[],
            today=date(2015, 3, 1),
            now=clock.now(),
            person_id=None,
            on_behalf=True,
        )
        vague = NewItem("Phấn đấu hoàn thành tốt nhiệm vụ", "Chung", None, None, None, None)
        await pledges.add_item(
            conn,
            member_id=second.id,
            year=2015,
            item=vague,
            problems=["vague_action"],
            today=date(2015, 8, 1),
            now=clock.now(),
            person_id=None,
            on_behalf=True,
        )
        gaps = await pledges.pledge_gaps(conn, cell_id, 2015, date(2015, 9, 10))
    assert len(gaps.members_without_pledge) == len(roster) - 2
    assert first.full_name not in gaps.members_without_pledge
    assert gaps.members_with_vague_items == [second.full_name]
    assert (gaps.stale_items, gaps.overdue_items) == (1, 1)


async def test_cells_missing_review_lists_cells_until_every_member_is_reviewed(
    db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A cell leaves the list once each current member has the review."""
    cell_id, roster = await _cell(db, ward.cells[3].name)
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        for member in roster:
            await pledges.record_review(
                conn,
                member_id=member.id,
                year=2015,
                kind="mid_year",
                assessment="Đạt",
                ranking=None,
                today=date(2015, 7, 1),
                now=clock.now(),
                person_id=None,
            )
        missing = await pledges.cells_missing_review(conn, committee.id, 2015, "mid_year")
        year_end = await pledges.cells_missing_review(conn, committee.id, 2015, "year_end")
    assert cell_id not in missing and len(missing) == 3
    assert cell_id in year_end


async def test_ranking_scale_is_data_per_year(db: Database) -> None:
    """The 2015 scale is seeded; a later scale applies from its year on."""
    async with db.begin() as conn:
        assert (await pledges.ranking_scale(conn, 2015))[0] == "Hoàn thành xuất sắc nhiệm vụ"
        later = ["Xuất sắc", "Tốt", "Đạt", "Không đạt"]
        await conn.execute(
            pledges.ranking_levels.insert(),
            [{"from_year": 2018, "position": n, "label": label} for n, label in enumerate(later, start=1)],
        )
        assert (await pledges.ranking_scale(conn, 2017))[1] == "Hoàn thành tốt nhiệm vụ"
        assert (await pledges.ranking_scale(conn, 2019))[1] == "Tốt"


async def _add(conn: AsyncConnection, member_id: int, item: NewItem, now: datetime, year: int = 2015) -> int:
    """Register one item of a year (2015 unless told) for a member on 1 March of that year."""
    return await pledges.add_item(
        conn,
        member_id=member_id,
        year=year,
        item=item,
        problems=[],
        today=date(year, 3, 1),
        now=now,
        person_id=None,
        on_behalf=True,
    )


async def _progress(conn: AsyncConnection, item_id: int, status: str, day: date, now: datetime) -> None:
    """Record an item's progress on a day."""
    await pledges.add_update(
        conn,
        item_id=item_id,
        status=status,
        note=None,
        evidence_text=None,
        evidence_kind=None,
        evidence_ref=None,
        evidence_name=None,
        today=day,
        now=now,
        person_id=None,
    )


async def test_cell_figures_count_as_the_pledge_rules_do(
    db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """The per-cell pledge counts of one query agree with the domain's standing of each member this year."""
    today = date(2015, 9, 10)
    now = clock.now()
    cells = [await _cell(db, cell.name) for cell in ward.cells[:2]]
    cell_ids = [cell_id for cell_id, _ in cells]
    async with db.begin() as conn:
        for _, roster in cells:
            vague = NewItem("Phấn đấu hoàn thành tốt nhiệm vụ", "Chung", None, None, None, None)
            late = NewItem("Trồng 10 cây xanh", "Môi trường", "10 cây", date(2015, 6, 30), None, "Ảnh")
            await _add(conn, roster[0].id, vague, now)
            await _add(conn, roster[0].id, CONCRETE, now)
            done = await _add(conn, roster[1].id, late, now)
            await _progress(conn, done, "in_progress", date(2015, 5, 1), now)
            await _progress(conn, done, "done", date(2015, 6, 20), now)
            await _add(conn, roster[2].id, late, now)
            failed = await _add(conn, roster[3].id, late, now)
            await _progress(conn, failed, "failed", date(2015, 7, 1), now)
            reopened = await _add(conn, roster[4].id, late, now)
            await _progress(conn, reopened, "done", date(2015, 6, 1), now)
            await _progress(conn, reopened, "in_progress", date(2015, 6, 2), now)
            await _add(conn, roster[5].id, vague, now)
            await roster_store.move_out(conn, roster[5].id, date(2015, 8, 1))
            for member in (roster[1], roster[6]):
                await _add(conn, member.id, vague, now, year=2014)
        figures = await pledges.figures_of_cells(conn, cell_ids, 2015, today)
        for cell_id in cell_ids:
            items = await pledges.items_by_member(
                conn, [m.id for m in await org.list_members(conn, cell_id)], 2015
            )
            standings = [standing(member_items, today) for member_items in items.values()]
            coverage = Counter(s.coverage for s in standings)
            assert figures[cell_id] == PledgeFigures(
                specific=coverage[SPECIFIC],
                vague=coverage[VAGUE],
                none=coverage[NONE],
                items=sum(s.items for s in standings),
                done=sum(s.done for s in standings),
                overdue=sum(s.overdue for s in standings),
            )
    assert figures[cell_ids[0]].overdue >= 2 and figures[cell_ids[0]].done >= 1


async def test_an_update_dated_before_the_latest_leaves_the_status(
    db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """Progress entered late for an earlier day joins the history; the item stands as its latest day says."""
    _, roster = await _cell(db, ward.cells[0].name)
    async with db.begin() as conn:
        item_id = await _add(conn, roster[0].id, CONCRETE, clock.now())
        await _progress(conn, item_id, "done", date(2015, 8, 20), clock.now())
        await _progress(conn, item_id, "in_progress", date(2015, 5, 1), clock.now())
        [item] = await pledges.member_items(conn, roster[0].id, 2015)
        history = await item_updates(conn, item_id)
    assert (item.status, item.updated_on) == ("done", date(2015, 8, 20))
    assert [u.status for u in history] == ["in_progress", "done"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_upgrade_gives_earlier_items_their_latest_progress(
    db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """Items updated before the status was kept on the item read as their latest update after upgrading."""
    _, roster = await _cell(db, ward.cells[0].name)
    async with db.begin() as conn:
        item_id = await _add(conn, roster[0].id, CONCRETE, clock.now())
        await _progress(conn, item_id, "in_progress", date(2015, 5, 1), clock.now())
        await _progress(conn, item_id, "done", date(2015, 8, 20), clock.now())
    async with db.engine.begin() as conn:
        await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), "0003"))
    await db.migrate()
    async with db.begin() as conn:
        [item] = await pledges.member_items(conn, roster[0].id, 2015)
    assert (item.status, item.updated_on) == ("done", date(2015, 8, 20))


async def test_a_long_photo_link_is_kept_whole_as_evidence(
    db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A Zalo photo link of 1,500 characters, longer than any name, is stored as it came."""
    _, roster = await _cell(db, ward.cells[0].name)
    link = "https://photo-stal-1.zdn.vn/" + "a1b2c3d4" * 184
    async with db.begin() as conn:
        item_id = await _add(conn, roster[0].id, CONCRETE, clock.now())
        await pledges.add_update(
            conn,
            item_id=item_id,
            status="in_progress",
            note=None,
            evidence_text=None,
            evidence_kind="photo",
            evidence_ref=link,
            evidence_name=None,
            today=date(2015, 5, 1),
            now=clock.now(),
            person_id=None,
        )
        (update,) = await item_updates(conn, item_id)
    assert update.evidence_ref == link
