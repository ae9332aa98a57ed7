"""Pledge storage: items with their latest progress, gaps per cell, reviews, ranking scales."""

from __future__ import annotations

from datetime import date

from admin.demo_data import DemoWard
from core.clock import FixedClock
from storage import org, pledges
from storage.db import Database
from storage.pledges import NewItem

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
        item_id = await pledges.add_item(
            conn,
            member_id=roster[0].id,
            year=2015,
            item=CONCRETE,
            problems=[],
            today=date(2015, 3, 1),
            now=clock.now(),
            person_id=None,
            on_behalf=True,
        )
        assert (await pledges.member_items(conn, roster[0].id, 2015))[0].status == "not_started"
        for status, day in (("in_progress", date(2015, 5, 1)), ("done", date(2015, 8, 20))):
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
                now=clock.now(),
                person_id=None,
            )
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
        await pledges.set_ranking_scale(conn, 2018, ["Xuất sắc", "Tốt", "Đạt", "Không đạt"])
        assert (await pledges.ranking_scale(conn, 2017))[1] == "Hoàn thành tốt nhiệm vụ"
        assert (await pledges.ranking_scale(conn, 2019))[1] == "Tốt"
