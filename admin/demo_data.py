"""The demo ward of the 2015 source scenario (ward Phúc Lợi) as pure, deterministic data."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

MemberStatus = Literal["full", "candidate"]
Gender = Literal["nam", "nữ"]
CellKind = Literal["residential", "agency", "school"]
CommitteeBody = Literal["dang_uy", "ubkt"]
_Role = Literal["full", "candidate", "excused"]

DEMO_AS_OF = date(2015, 9, 1)
DEMO_SEED = 2015

_MIN_JOIN_AGE = 19  # counted in calendar years, so the member was surely 18 or older
_MAX_JOIN_AGE = 40
_FULL_JOIN_YEARS_BACK = 2  # full members finished their 12 candidate months
_CANDIDATE_DAYS = 365
# Leaders are chosen among members no older than this on the ward's day.
_MAX_LEADER_AGE = 70


@dataclass(frozen=True)
class DemoMember:
    """One party member of a demo cell."""

    full_name: str
    birth_year: int
    status: MemberStatus
    excused: bool
    joined_on: date
    gender: Gender


@dataclass(frozen=True)
class DemoCell:
    """One party cell with its members and its two leaders, named as members."""

    name: str
    kind: CellKind
    members: tuple[DemoMember, ...]
    secretary: str
    deputy: str


@dataclass(frozen=True)
class DemoCommitteePerson:
    """One member of the ward committee (Đảng ủy) or its inspection commission (UBKT)."""

    full_name: str
    body: CommitteeBody
    title: str


@dataclass(frozen=True)
class DemoYearTheme:
    """The directive, yearly theme and pledge wording in force for one year."""

    year: int
    directive: str
    theme: str
    wording: str


@dataclass(frozen=True)
class DemoWard:
    """The whole demo ward: its committee, cells, committee people and yearly themes."""

    committee_name: str
    cells: tuple[DemoCell, ...]
    committee_people: tuple[DemoCommitteePerson, ...]
    year_themes: tuple[DemoYearTheme, ...]
    # What the exported documents are headed and signed with (admin reminders KEY=VALUE).
    settings: dict[str, str]


@dataclass(frozen=True)
class _KindProfile:
    """How members of one kind of cell are born and what share of them are women."""

    female_share: float
    full_birth_ranges: tuple[tuple[int, int], ...]
    full_birth_weights: tuple[int, ...]
    candidate_births: tuple[int, int]
    excused_births: tuple[int, int]


@dataclass(frozen=True)
class _CellPlan:
    """The shape of one demo cell before its members are drawn."""

    name: str
    kind: CellKind
    size: int
    candidates: int
    excused: int


_PROFILES: dict[CellKind, _KindProfile] = {
    "residential": _KindProfile(
        female_share=0.45,
        full_birth_ranges=((1938, 1960), (1961, 1985)),
        full_birth_weights=(7, 3),
        candidate_births=(1984, 1994),
        excused_births=(1932, 1945),
    ),
    "agency": _KindProfile(
        female_share=0.4,
        full_birth_ranges=((1965, 1990),),
        full_birth_weights=(1,),
        candidate_births=(1988, 1993),
        excused_births=(1960, 1965),
    ),
    "school": _KindProfile(
        female_share=0.94,
        full_birth_ranges=((1975, 1992),),
        full_birth_weights=(1,),
        candidate_births=(1989, 1995),
        excused_births=(1962, 1970),
    ),
}

_CELL_PLANS: tuple[_CellPlan, ...] = (
    _CellPlan("Chi bộ 12", "residential", size=34, candidates=2, excused=4),
    _CellPlan("Chi bộ 14", "residential", size=27, candidates=1, excused=3),
    _CellPlan("Chi bộ cơ quan phường", "agency", size=18, candidates=3, excused=0),
    _CellPlan("Chi bộ trường mầm non Phúc Lợi", "school", size=16, candidates=2, excused=1),
)

_SURNAMES: tuple[str, ...] = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đỗ",
    "Bùi",
    "Đặng",
    "Ngô",
    "Dương",
    "Phan",
    "Đinh",
    "Lý",
    "Trịnh",
    "Đào",
    "Mai",
    "Tạ",
    "Lưu",
    "Kiều",
)
_SURNAME_WEIGHTS: tuple[int, ...] = (
    30,
    12,
    9,
    7,
    5,
    5,
    4,
    4,
    3,
    3,
    2,
    2,
    2,
    1,
    2,
    2,
    1,
    1,
    1,
    1,
)
_MIDDLE_NAMES: dict[Gender, tuple[str, ...]] = {
    "nam": (
        "Văn",
        "Văn",
        "Văn",
        "Đức",
        "Minh",
        "Quang",
        "Hữu",
        "Công",
        "Xuân",
        "Mạnh",
        "Trọng",
        "Thanh",
        "Ngọc",
        "Tiến",
    ),
    "nữ": ("Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Thúy", "Kim"),
}
_GIVEN_NAMES: dict[Gender, tuple[str, ...]] = {
    "nam": (
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Đạt",
        "Hải",
        "Hiếu",
        "Hòa",
        "Hùng",
        "Hưng",
        "Khánh",
        "Kiên",
        "Lâm",
        "Long",
        "Lợi",
        "Nam",
        "Phong",
        "Phúc",
        "Quân",
        "Sơn",
        "Tài",
        "Thắng",
        "Thành",
        "Thịnh",
        "Tiến",
        "Toàn",
        "Trung",
        "Tuấn",
        "Tùng",
        "Vinh",
    ),
    "nữ": (
        "Anh",
        "Bích",
        "Dung",
        "Giang",
        "Hà",
        "Hạnh",
        "Hằng",
        "Hiền",
        "Hoa",
        "Hương",
        "Huyền",
        "Lan",
        "Liên",
        "Linh",
        "Loan",
        "Mai",
        "Nga",
        "Ngọc",
        "Nhung",
        "Oanh",
        "Phương",
        "Quỳnh",
        "Tâm",
        "Thảo",
        "Thủy",
        "Trang",
        "Vân",
        "Xuân",
        "Yến",
        "Ly",
    ),
}

_COMMITTEE_PEOPLE: tuple[DemoCommitteePerson, ...] = (
    DemoCommitteePerson("Nguyễn Đức Thuận", "dang_uy", "Bí thư Đảng ủy"),
    DemoCommitteePerson("Trần Thị Minh Nguyệt", "dang_uy", "Phó Bí thư Đảng ủy"),
    DemoCommitteePerson("Lê Quang Huy", "dang_uy", "Đảng ủy viên"),
    DemoCommitteePerson("Phạm Thị Thu Hiền", "dang_uy", "Đảng ủy viên"),
    DemoCommitteePerson("Hoàng Văn Chính", "ubkt", "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy"),
    DemoCommitteePerson("Vũ Thị Hải Yến", "ubkt", "Phó Chủ nhiệm Ủy ban Kiểm tra Đảng ủy"),
    DemoCommitteePerson("Đỗ Ngọc Khải", "ubkt", "Ủy viên Ủy ban Kiểm tra Đảng ủy"),
)

_YEAR_THEMES: tuple[DemoYearTheme, ...] = (
    DemoYearTheme(
        year=2015,
        directive="Chỉ thị 03-CT/TW",
        theme="Trung thực, trách nhiệm; gắn bó với nhân dân; đoàn kết xây dựng Đảng trong sạch, vững mạnh",
        wording="Học tập và làm theo tấm gương đạo đức Hồ Chí Minh",
    ),
    DemoYearTheme(
        year=2016,
        directive="Chỉ thị 05-CT/TW",
        theme="Tăng cường khối đại đoàn kết dân tộc; "
        "xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh",
        wording="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    ),
)


def demo_ward(as_of: date = DEMO_AS_OF) -> DemoWard:
    """Build the demo ward Phúc Lợi as it stands on a day; every call for that day returns an equal ward.

    Another day keeps the same people and leaders, their births and joining moved by whole years
    (candidates joined in the twelve months before that day), so the ward is as plausible in any year.
    """
    rng = random.Random(DEMO_SEED)  # noqa: S311 - seeded on purpose: the same ward on every call
    taken = {person.full_name for person in _COMMITTEE_PEOPLE}
    cells = tuple(_build_cell(plan, rng, taken, as_of) for plan in _CELL_PLANS)
    return DemoWard(
        committee_name="Đảng bộ phường Phúc Lợi",
        cells=cells,
        committee_people=_COMMITTEE_PEOPLE,
        year_themes=_YEAR_THEMES,
        settings={"superior_body": "Đảng bộ Thành phố Hà Nội", "signer": _COMMITTEE_PEOPLE[0].full_name},
    )


def _build_cell(plan: _CellPlan, rng: random.Random, taken: set[str], as_of: date) -> DemoCell:
    """Draw the members of one planned cell; pick its leaders among its senior active members."""
    profile = _PROFILES[plan.kind]
    counts: tuple[tuple[_Role, int], ...] = (
        ("excused", plan.excused),
        ("candidate", plan.candidates),
        ("full", plan.size - plan.excused - plan.candidates),
    )
    roles = [role for role, count in counts for _ in range(count)]
    rng.shuffle(roles)
    members = tuple(_draw_member(role, profile, rng, taken, as_of) for role in roles)
    active = sorted(
        (
            m
            for m in members
            if m.status == "full" and not m.excused and as_of.year - m.birth_year <= _MAX_LEADER_AGE
        ),
        key=lambda m: m.joined_on,
    )
    leaders = rng.sample([m.full_name for m in active[: max(2, len(active) // 2)]], 2)
    return DemoCell(
        name=plan.name,
        kind=plan.kind,
        members=members,
        secretary=leaders[0],
        deputy=leaders[1],
    )


def _draw_member(
    role: _Role, profile: _KindProfile, rng: random.Random, taken: set[str], as_of: date
) -> DemoMember:
    """Draw one member of the given role: full, candidate, or excused (a full member)."""
    # The profiles' birth years are those of 2015; another year moves them by as many years.
    shift = as_of.year - DEMO_AS_OF.year
    gender: Gender = "nữ" if rng.random() < profile.female_share else "nam"
    if role == "candidate":
        birth_year = rng.randint(*profile.candidate_births) + shift
        first_day = as_of - timedelta(days=_CANDIDATE_DAYS)
        joined_on = first_day + timedelta(days=rng.randint(1, _CANDIDATE_DAYS - 1))
    else:
        if role == "excused":
            birth_year = rng.randint(*profile.excused_births) + shift
        else:
            low, high = rng.choices(profile.full_birth_ranges, profile.full_birth_weights)[0]
            birth_year = rng.randint(low, high) + shift
        latest_age = min(_MAX_JOIN_AGE, as_of.year - _FULL_JOIN_YEARS_BACK - birth_year)
        joined_year = birth_year + rng.randint(_MIN_JOIN_AGE, latest_age)
        joined_on = date(joined_year, rng.randint(1, 12), rng.randint(1, 28))
    return DemoMember(
        full_name=_draw_name(gender, rng, taken),
        birth_year=birth_year,
        status="candidate" if role == "candidate" else "full",
        excused=role == "excused",
        joined_on=joined_on,
        gender=gender,
    )


def _draw_name(gender: Gender, rng: random.Random, taken: set[str]) -> str:
    """Draw a Vietnamese full name not yet taken in the ward, and mark it taken."""
    while True:
        surname = rng.choices(_SURNAMES, _SURNAME_WEIGHTS)[0]
        middle = rng.choice(_MIDDLE_NAMES[gender])
        given = rng.choice(_GIVEN_NAMES[gender])
        full_name = f"{surname} {middle} {given}"
        if middle != given and full_name not in taken:
            taken.add(full_name)
            return full_name
