"""Tests of the demo ward Phúc Lợi: deterministic, plausible, consistent."""

from __future__ import annotations

from datetime import date

from admin.demo_data import DEMO_AS_OF, DemoCell, demo_ward

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
