"""Tests of the demo ward Phúc Lợi: deterministic, plausible, consistent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from admin.commands import AdminError, load_demo, load_demo_year
from admin.demo_data import DEMO_AS_OF, DemoCell, demo_ward
from domain.calendar import ReminderSettings, report_deadline, start_of_day
from domain.clock import FixedClock, as_utc, local_today
from domain.digest import MISSING, ON_TIME, report_month
from domain.meetings import THEMATIC_KINDS
from domain.pledges import MID_YEAR, YEAR_END
from reports.digest import gather, render
from reports.readiness import readiness_of
from storage import inspections, org, pledges, reports
from storage.db import Database
from storage.pledges import member_reviews, pledge_updates
from storage.reports import meeting_reports
from storage.tables import load_all_tables

CELL_NAMES = (
    "Chi bộ 12",
    "Chi bộ 14",
    "Chi bộ cơ quan phường",
    "Chi bộ trường mầm non Phúc Lợi",
)


def _cell(name: str) -> DemoCell:
    """Return the demo cell with the given name."""
    return next(cell for cell in demo_ward().cells if cell.name == name)


def test_demo_ward_is_deterministic() -> None:
    """Two calls build equal wards."""
    assert demo_ward() == demo_ward()


def test_committee_name() -> None:
    """The ward committee is Đảng bộ phường Phúc Lợi."""
    assert demo_ward().committee_name == "Đảng bộ phường Phúc Lợi"


def test_four_named_cells_of_the_right_kinds() -> None:
    """The ward has the four cells of the scenario with their kinds."""
    kinds = {cell.name: cell.kind for cell in demo_ward().cells}
    assert kinds == {
        "Chi bộ 12": "residential",
        "Chi bộ 14": "residential",
        "Chi bộ cơ quan phường": "agency",
        "Chi bộ trường mầm non Phúc Lợi": "school",
    }
    assert tuple(kinds) == CELL_NAMES


def test_cell_sizes_are_between_15_and_40_and_vary() -> None:
    """Every cell has 15 to 40 members and no two cells have the same size."""
    sizes = [len(cell.members) for cell in demo_ward().cells]
    assert all(15 <= size <= 40 for size in sizes)
    assert len(set(sizes)) == len(sizes)


def test_every_cell_has_one_to_three_candidates() -> None:
    """Each cell has between one and three candidate members."""
    for cell in demo_ward().cells:
        candidates = [m for m in cell.members if m.status == "candidate"]
        assert 1 <= len(candidates) <= 3, cell.name


def test_candidates_joined_within_the_last_twelve_months() -> None:
    """Candidates joined in the twelve months before the demo date."""
    for cell in demo_ward().cells:
        for member in cell.members:
            if member.status == "candidate":
                assert date(2014, 9, 1) < member.joined_on < DEMO_AS_OF, member


def test_residential_cells_have_older_excused_members() -> None:
    """Residential cells have excused members, all born before 1950."""
    for name in ("Chi bộ 12", "Chi bộ 14"):
        excused = [m for m in _cell(name).members if m.excused]
        assert excused, name
        assert all(m.birth_year < 1950 for m in excused)


def test_agency_and_school_cells_have_at_most_one_excused() -> None:
    """The agency and school cells have none or one excused member."""
    for name in ("Chi bộ cơ quan phường", "Chi bộ trường mầm non Phúc Lợi"):
        assert sum(m.excused for m in _cell(name).members) <= 1, name


def test_school_cell_is_mostly_young_women() -> None:
    """Most school members are women born 1975–1995."""
    members = _cell("Chi bộ trường mầm non Phúc Lợi").members
    women = [m for m in members if m.gender == "nữ"]
    assert len(women) > len(members) * 3 // 4
    assert all(1960 <= m.birth_year <= 1995 for m in members)


def test_members_joined_after_eighteen_and_before_the_demo_date() -> None:
    """Every member joined at 18 or older and before 01/09/2015."""
    for cell in demo_ward().cells:
        for member in cell.members:
            assert member.joined_on.year - member.birth_year >= 18, member
            assert member.joined_on < DEMO_AS_OF, member


def test_leaders_are_distinct_active_full_members_of_their_cell() -> None:
    """Secretary and deputy are two different full, non-excused members of their own cell."""
    for cell in demo_ward().cells:
        members = {m.full_name: m for m in cell.members}
        assert cell.secretary != cell.deputy
        for leader in (cell.secretary, cell.deputy):
            assert leader in members, cell.name
            assert members[leader].status == "full"
            assert not members[leader].excused


def test_names_are_unique_across_the_ward() -> None:
    """No two members or committee people share a full name."""
    ward = demo_ward()
    names = [m.full_name for cell in ward.cells for m in cell.members]
    names += [person.full_name for person in ward.committee_people]
    assert len(names) == len(set(names))


def test_names_have_surname_middle_and_given_name() -> None:
    """Every member name has at least three Vietnamese words."""
    for cell in demo_ward().cells:
        for member in cell.members:
            assert len(member.full_name.split()) >= 3, member.full_name


def test_committee_has_dang_uy_and_ubkt_people() -> None:
    """The committee has a Bí thư Đảng ủy and a Chủ nhiệm Ủy ban Kiểm tra among ~7 people."""
    people = demo_ward().committee_people
    titles = {(person.body, person.title) for person in people}
    assert ("dang_uy", "Bí thư Đảng ủy") in titles
    assert ("ubkt", "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy") in titles
    assert 6 <= len(people) <= 8


def test_2015_theme() -> None:
    """The 2015 theme follows Directive 03-CT/TW with the 'tấm gương đạo đức' wording."""
    theme = next(t for t in demo_ward().year_themes if t.year == 2015)
    assert theme.directive == "Chỉ thị 03-CT/TW"
    assert theme.theme == (
        "Trung thực, trách nhiệm; gắn bó với nhân dân; đoàn kết xây dựng Đảng trong sạch, vững mạnh"
    )
    assert theme.wording == "Học tập và làm theo tấm gương đạo đức Hồ Chí Minh"


def test_2016_wording() -> None:
    """From 2016 the wording follows Directive 05-CT/TW."""
    theme = next(t for t in demo_ward().year_themes if t.year == 2016)
    assert theme.directive == "Chỉ thị 05-CT/TW"
    assert theme.wording == "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"


# 09:30 on a Tuesday and 23:30 on a leap day in Hà Nội: the history follows the clock, not the machine.
MOMENTS = (datetime(2026, 3, 3, 2, 30, tzinfo=UTC), datetime(2028, 2, 29, 16, 30, tzinfo=UTC))


@pytest.fixture(params=MOMENTS, ids=("03-03-2026", "29-02-2028"))
def today_clock(request: pytest.FixtureRequest) -> FixedClock:
    """Stand the clock at one of two days far from the source scenario."""
    return FixedClock(request.param)


async def _committee_id(db: Database) -> int:
    """Return the id of the only committee."""
    async with db.begin() as conn:
        return (await org.list_committees(conn))[0].id


async def _table_rows(db: Database) -> dict[str, list[tuple]]:
    """Return every row of every table, by primary key."""
    metadata = load_all_tables()
    found = {}
    async with db.begin() as conn:
        for table in metadata.sorted_tables:
            query = sa.select(table).order_by(*table.primary_key.columns)
            found[table.name] = [tuple(row) for row in await conn.execute(query)]
    return found


def test_ward_of_another_day_keeps_its_people() -> None:
    """The ward of 29/02/2028 has the same people and leaders; its candidates joined in the year before."""
    day = date(2028, 2, 29)
    later, source = demo_ward(day), demo_ward()
    assert [c.secretary for c in later.cells] == [c.secretary for c in source.cells]
    assert [m.full_name for c in later.cells for m in c.members] == [
        m.full_name for c in source.cells for m in c.members
    ]
    for cell in later.cells:
        for member in cell.members:
            assert member.joined_on < day and member.joined_on.year - member.birth_year >= 18, member
            if member.status == "candidate":
                assert day - timedelta(days=365) < member.joined_on, member


async def test_last_month_digest_is_mostly_on_time(db: Database, today_clock: FixedClock) -> None:
    """The committee's digest of last month shows reports filed on time, not months missing."""
    await load_demo_year(db, today_clock)
    today = local_today(today_clock)
    committee_id = await _committee_id(db)
    async with db.begin() as conn:
        digest = await gather(conn, committee_id, report_month(today), today)
        planned = await inspections.upcoming(conn, today)
        checklists = [await readiness_of(conn, p, today) for p in planned]
    settings = ReminderSettings()
    standings = [month.status for cell in digest.cells for month in cell.months]
    assert standings.count(ON_TIME) >= 3 and MISSING not in standings
    assert sum(not cell.attention for cell in digest.cells) >= 2
    assert planned and planned[0].session_on.month == 9
    due = [
        (y, m)
        for ready in checklists
        for y, m in ready.months_without_report
        if report_deadline(y, m, settings) < today
    ]
    assert due == []
    assert ", 0 chưa nộp" in render(digest).split("\n\n")[1]


async def test_cells_have_their_habits(db: Database, today_clock: FixedClock) -> None:
    """One cell is often late, one holds no thematic meeting, and vague pledges cluster in one cell."""
    await load_demo_year(db, today_clock)
    today = local_today(today_clock)
    async with db.begin() as conn:
        cells = {c.name: c.id for c in await org.list_cells(conn)}
        filed = await reports.summaries_of_cells(conn, list(cells.values()))
        figures = await pledges.figures_of_cells(conn, list(cells.values()), today.year, today)
        tasks = await inspections.open_tasks(conn)
    late = {name: sum(s.late for s in filed[cell_id]) for name, cell_id in cells.items()}
    thematic = {
        name: sum(s.kind in THEMATIC_KINDS for s in filed[cell_id]) for name, cell_id in cells.items()
    }
    vague = {name: figures[cell_id].vague for name, cell_id in cells.items()}
    assert late["Chi bộ 14"] >= 4 and sum(late.values()) == late["Chi bộ 14"]
    assert thematic["Chi bộ cơ quan phường"] == 0 and thematic["Chi bộ 12"] >= 4
    assert vague["Chi bộ 12"] >= 5 and sum(vague.values()) == vague["Chi bộ 12"]
    assert [t.cell_name for t in tasks] == ["Chi bộ 12"] and tasks[0].updates == 1 and tasks[0].due_on > today


async def test_history_is_not_dated_after_today(db: Database, today_clock: FixedClock) -> None:
    """No report, update or review is dated after the clock's today; the mid-year review took place."""
    await load_demo_year(db, today_clock)
    today = local_today(today_clock)
    async with db.begin() as conn:
        filed = (await conn.execute(sa.select(sa.func.max(meeting_reports.c.submitted_at)))).scalar_one()
        updated = (await conn.execute(sa.select(sa.func.max(pledge_updates.c.updated_on)))).scalar_one()
        reviewed = (await conn.execute(sa.select(member_reviews.c.kind, member_reviews.c.reviewed_on))).all()
    assert as_utc(filed) < start_of_day(today) and updated < today
    assert {kind for kind, _ in reviewed} == {MID_YEAR, YEAR_END} and max(day for _, day in reviewed) < today


async def test_demo_twice_changes_nothing(db: Database, today_clock: FixedClock) -> None:
    """Loading the demo again leaves every table as it was."""
    await load_demo_year(db, today_clock)
    before = await _table_rows(db)
    assert "Không thay đổi gì" in (await load_demo_year(db, today_clock))[0]
    assert await _table_rows(db) == before


async def test_demo_is_deterministic(tmp_path: Path, today_clock: FixedClock) -> None:
    """Two databases loaded at the same moment hold the same rows."""
    dumps = []
    for name in ("a", "b"):
        database = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/{name}.db")
        await database.migrate()
        await load_demo_year(database, today_clock)
        dumps.append(await _table_rows(database))
        await database.dispose()
    assert dumps[0] == dumps[1]


async def test_bare_demo_ward_gets_its_history(db: Database, today_clock: FixedClock) -> None:
    """A demo ward loaded without history (as older versions did) gets the year on the next load."""
    await load_demo(db, today_clock)
    lines = await load_demo_year(db, today_clock)
    assert len(lines) == 1 and "báo cáo sinh hoạt" in lines[0]


async def test_year_2015_is_the_source_scenario(db: Database, today_clock: FixedClock) -> None:
    """`--year 2015`: the 2015 theme, the four cells inspected with vague pledges found, September planned."""
    await load_demo_year(db, today_clock, 2015)
    committee_id = await _committee_id(db)
    async with db.begin() as conn:
        theme = await org.get_year_theme(conn, committee_id, 2015)
        cells = [c.id for c in await org.list_cells(conn, committee_id)]
        done = await inspections.inspections_between(conn, cells, date(2015, 1, 1), date(2015, 8, 31))
        coming = await inspections.upcoming(conn, date(2015, 9, 1))
        figures = await pledges.figures_of_cells(conn, cells, 2015, date(2015, 9, 1))
    assert theme is not None and theme.directive == "Chỉ thị 03-CT/TW"
    assert {i.cell_id for i in done if i.status == inspections.CONCLUDED} == set(cells)
    assert all("chung chung" in (i.limitations or "") for i in done)
    assert all(figures[cell_id].vague > 0 for cell_id in cells)
    assert coming and all(i.session_on.month == 9 and i.session_on.year == 2015 for i in coming)


async def test_a_year_to_come_is_refused(db: Database, today_clock: FixedClock) -> None:
    """`--year` after the clock's year is refused in one line."""
    with pytest.raises(AdminError, match="Năm của dữ liệu mẫu"):
        await load_demo_year(db, today_clock, local_today(today_clock).year + 1)
