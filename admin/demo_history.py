"""A year in the life of the demo ward, as pure data: reports, pledges, reviews and inspections.

Everything is drawn from a fixed seed and dated relative to one day (the clock's today, or the
source scenario's 01/09/2015), so the same day always gives the same year, and nothing in it is
dated after that day except what is planned (deadlines, the coming inspection).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from admin.demo_data import DemoCell, DemoMember, DemoWard, DemoYearTheme
from domain.attendance import ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON, EXCUSED, PRESENT
from domain.calendar import ReminderSettings, at_local, report_deadline
from domain.meetings import COMBINED, REGULAR, THEMATIC, month_days, month_index, quarter_of
from domain.pledges import DONE, FAILED, IN_PROGRESS, MID_YEAR, NOT_STARTED, YEAR_END, ItemOutcome, check_item

HISTORY_SEED = 2015
HISTORY_MONTHS = 12
# The source scenario: the ward as it stood when the September 2015 inspections were coming.
SOURCE_YEAR = 2015
SOURCE_DAY = (9, 1)

# How each cell of the ward behaves; the names are the demo ward's.
ON_TIME, OFTEN_LATE = "on_time", "often_late"
COMBINED_STYLE, SEPARATE_STYLE, SKIPS = "combined", "separate", "skips"


@dataclass(frozen=True)
class _Habit:
    """How one cell files, holds its thematic meetings and writes its pledges."""

    filing: str
    thematic: str
    meeting_day: int
    hours: tuple[str, str]
    place: str
    vague_share: float
    source_vague_share: float


_HABITS: dict[str, _Habit] = {
    "Chi bộ 12": _Habit(
        ON_TIME, COMBINED_STYLE, 8, ("19:30", "21:15"), "Nhà văn hóa tổ dân phố số 12", 0.3, 0.5
    ),
    "Chi bộ 14": _Habit(
        OFTEN_LATE, SEPARATE_STYLE, 15, ("19:30", "21:10"), "Nhà văn hóa tổ dân phố số 14", 0.0, 0.45
    ),
    "Chi bộ cơ quan phường": _Habit(
        ON_TIME, SKIPS, 5, ("14:00", "15:45"), "Hội trường Ủy ban nhân dân phường", 0.0, 0.35
    ),
    "Chi bộ trường mầm non Phúc Lợi": _Habit(
        ON_TIME, COMBINED_STYLE, 12, ("16:45", "18:30"), "Phòng họp Trường mầm non Phúc Lợi", 0.0, 0.35
    ),
}
# A meeting that is also the quarter's thematic one starts earlier: it must last 120 minutes.
_COMBINED_EARLIER = timedelta(minutes=30)
# The often-late cell files after the deadline in about this share of months.
_LATE_SHARE = 0.5
_ABSENT_WITH_REASON_SHARE = 0.04
_ABSENT_WITHOUT_REASON_SHARE = 0.008

_REASONS = ("Ốm", "Đi công tác", "Việc gia đình", "Đi viện", "Về quê có việc", "Trông cháu ốm")
_QUALITIES = ("good", "good", "good", "good", "fair")

_STUDY = (
    "Trao đổi về tác phong gần dân, nói đi đôi với làm",
    "Đọc và thảo luận bài «Sửa đổi lối làm việc»",
    "Kể chuyện về Bác với tinh thần tiết kiệm",
    "Liên hệ bản thân về trách nhiệm nêu gương của đảng viên",
    "Trao đổi về tinh thần đoàn kết trong tổ dân phố và cơ quan",
    "Học tập cách Bác lắng nghe ý kiến nhân dân",
)
_DOCUMENTS = (
    "Kế hoạch của Đảng ủy phường về công tác kiểm tra, giám sát năm {year}",
    "Nghị quyết của Đảng ủy phường về nhiệm vụ 6 tháng cuối năm {year}",
    "Hướng dẫn đăng ký học tập và làm theo năm {year}",
    None,
    None,
    None,
)
_REVIEWS: dict[str, tuple[str, ...]] = {
    "residential": (
        "Đã thu đảng phí đầy đủ. Tổ dân phố ra quân tổng vệ sinh 2 buổi; vận động được 3 hộ phân loại rác.",
        "Đã thu đảng phí đầy đủ. Hòa giải xong 1 vụ tranh chấp lối đi; chưa xong: sửa đèn ngõ 5.",
        "Đã thu đảng phí đầy đủ. Tổ chức thăm 4 hộ có hoàn cảnh khó khăn; hoàn thành quỹ khuyến học.",
    ),
    "agency": (
        "Đã thu đảng phí đầy đủ. Bộ phận một cửa trả đúng hẹn 98% hồ sơ; số hóa thêm 150 hồ sơ hộ tịch.",
        "Đã thu đảng phí đầy đủ. Hoàn thành báo cáo quý; chưa xong: cập nhật dữ liệu dân cư tổ 7.",
        "Đã thu đảng phí đầy đủ. Tiếp 12 lượt công dân, trả lời đúng hạn 12/12 đơn thư.",
    ),
    "school": (
        "Đã thu đảng phí đầy đủ. Tổ chức 2 tiết dạy mẫu; làm 6 bộ đồ dùng dạy học tái chế.",
        "Đã thu đảng phí đầy đủ. Họp phụ huynh các lớp; chưa xong: sửa sân chơi khu nhà trẻ.",
        "Đã thu đảng phí đầy đủ. Khám sức khỏe định kỳ cho 100% trẻ; tập huấn phòng chống đuối nước.",
    ),
}
_RESOLUTIONS: dict[str, tuple[str, ...]] = {
    "residential": (
        "Tổng vệ sinh ngõ xóm sáng Chủ nhật cuối tháng; mỗi đảng viên vận động 1 hộ phân loại rác.",
        "Hoàn thành thu quỹ khuyến học trước ngày 20; đề nghị phường sửa đèn chiếu sáng ngõ 5.",
        "Thăm hỏi hội viên người cao tuổi ốm đau; rà soát hộ nghèo của tổ dân phố.",
    ),
    "agency": (
        "Giải quyết 100% hồ sơ đúng hẹn; số hóa thêm 200 hồ sơ hộ tịch trong tháng.",
        "Hoàn thành cập nhật dữ liệu dân cư tổ 7 trước ngày 25; tiếp công dân đúng lịch.",
        "Chuẩn bị báo cáo sơ kết của Ủy ban nhân dân phường; mỗi đảng viên đọc 1 văn bản mới.",
    ),
    "school": (
        "Mỗi giáo viên dự 1 tiết của đồng nghiệp; hoàn thành sửa sân chơi trước ngày 30.",
        "Tổ chức ngày hội đọc sách cho trẻ; gửi thông báo cho phụ huynh qua nhóm lớp.",
        "Rà soát đồ dùng dạy học; mỗi lớp làm thêm 2 bộ đồ dùng tái chế.",
    ),
}
_TOPICS = (
    "Học tập và làm theo Bác về ý thức trách nhiệm nêu gương của đảng viên nơi cư trú",
    "Nâng cao chất lượng sinh hoạt chi bộ: theo dõi việc thực hiện bản đăng ký của từng đảng viên",
    "Công tác dân vận của chi bộ ở tổ dân phố",
    "Phòng, chống biểu hiện suy thoái tư tưởng chính trị, đạo đức, lối sống",
)


@dataclass(frozen=True)
class _ItemPlan:
    """A pledge item a member may take: what, how much, by when (month, day), with what proof."""

    action: str
    duty: str
    indicator: str | None
    deadline: tuple[int, int] | None
    milestones: str | None
    evidence: str | None


_SPECIFIC: dict[str, tuple[_ItemPlan, ...]] = {
    "residential": (
        _ItemPlan(
            "Vận động 5 hộ gia đình trong tổ dân phố phân loại rác tại nguồn",
            "Gương mẫu nơi cư trú",
            "5 hộ phân loại rác",
            (9, 30),
            "Tháng 3: 2 hộ; tháng 6: 4 hộ; tháng 9: 5 hộ",
            "Danh sách hộ có xác nhận của tổ trưởng tổ dân phố",
        ),
        _ItemPlan(
            "Tham gia tổng vệ sinh ngõ xóm sáng Chủ nhật cuối tháng",
            "Gương mẫu nơi cư trú",
            "10 buổi trong năm",
            (12, 15),
            "Mỗi quý ít nhất 2 buổi",
            "Sổ theo dõi của tổ dân phố",
        ),
        _ItemPlan(
            "Kể cho chi bộ 4 mẩu chuyện về Bác Hồ tại các kỳ sinh hoạt",
            "Học tập lý luận",
            "4 mẩu chuyện",
            (11, 30),
            "Mỗi quý 1 mẩu chuyện",
            "Biên bản sinh hoạt chi bộ ghi nội dung",
        ),
        _ItemPlan(
            "Tham gia tổ hòa giải giải quyết mâu thuẫn trong tổ dân phố",
            "Công tác dân vận",
            "100% vụ việc tổ hòa giải mời",
            (12, 15),
            "Báo cáo chi ủy hằng quý",
            "Sổ hòa giải của tổ dân phố",
        ),
        _ItemPlan(
            "Đóng góp quỹ khuyến học của tổ dân phố",
            "Gương mẫu nơi cư trú",
            "500.000 đồng",
            (6, 30),
            None,
            "Phiếu thu của quỹ khuyến học",
        ),
        _ItemPlan(
            "Nhắc con cháu trong gia đình chấp hành luật giao thông khi đi xe máy",
            "Gương mẫu trong gia đình",
            "0 lần vi phạm trong năm",
            (12, 15),
            "Nhắc trong bữa cơm gia đình hằng tuần",
            "Xác nhận của tổ trưởng tổ dân phố",
        ),
    ),
    "agency": (
        _ItemPlan(
            "Giải quyết hồ sơ hành chính của người dân đúng hẹn",
            "Chuyên môn",
            "100% hồ sơ đúng hẹn",
            (12, 15),
            "Tự kiểm tra sổ theo dõi cuối mỗi tháng",
            "Báo cáo của bộ phận một cửa",
        ),
        _ItemPlan(
            "Số hóa hồ sơ hộ tịch lưu trữ của phường",
            "Chuyên môn",
            "1.200 hồ sơ",
            (10, 31),
            "Quý II: 400 hồ sơ; quý III: 900 hồ sơ; tháng 10: 1.200 hồ sơ",
            "Danh mục hồ sơ trên phần mềm hộ tịch",
        ),
        _ItemPlan(
            "Hướng dẫn người dân nộp hồ sơ trực tuyến tại bộ phận một cửa",
            "Phục vụ nhân dân",
            "50 lượt hướng dẫn",
            (11, 30),
            "Mỗi tháng 5 lượt",
            "Sổ ghi lượt hướng dẫn",
        ),
        _ItemPlan(
            "Hoàn thành lớp bồi dưỡng tin học văn phòng",
            "Học tập chuyên môn",
            "1 chứng chỉ",
            (8, 31),
            "Học 2 buổi tối mỗi tuần từ tháng 4",
            "Chứng chỉ của trung tâm bồi dưỡng",
        ),
    ),
    "school": (
        _ItemPlan(
            "Làm đồ dùng dạy học từ vật liệu tái chế cho lớp",
            "Chuyên môn",
            "20 bộ đồ dùng",
            (11, 30),
            "Mỗi tháng 2 bộ",
            "Đồ dùng trưng bày tại lớp; biên bản của tổ chuyên môn",
        ),
        _ItemPlan(
            "Dự giờ đồng nghiệp trong tổ chuyên môn",
            "Chuyên môn",
            "12 tiết dự giờ",
            (12, 15),
            "Mỗi tháng 1 tiết",
            "Phiếu dự giờ có chữ ký tổ trưởng",
        ),
        _ItemPlan(
            "Thực hiện chuyên đề giáo dục kỹ năng sống cho trẻ",
            "Chuyên môn",
            "2 chuyên đề",
            (5, 31),
            "Chuyên đề 1 trong tháng 3, chuyên đề 2 trong tháng 5",
            "Giáo án và ảnh hoạt động",
        ),
        _ItemPlan(
            "Trao đổi với phụ huynh về tình hình của trẻ qua nhóm lớp",
            "Phục vụ nhân dân",
            "Mỗi tuần 1 lần",
            (5, 31),
            None,
            "Nhật ký trao đổi của nhóm lớp",
        ),
    ),
}
_VAGUE: tuple[_ItemPlan, ...] = (
    _ItemPlan("Phấn đấu hoàn thành tốt nhiệm vụ được giao", "Chuyên môn", None, None, None, None),
    _ItemPlan("Luôn luôn giữ gìn phẩm chất đạo đức, lối sống", "Rèn luyện đạo đức", "Tốt", None, None, None),
    _ItemPlan(
        "Tích cực học tập và làm theo tấm gương của Bác",
        "Học tập lý luận",
        "Thường xuyên",
        (12, 31),
        None,
        None,
    ),
    _ItemPlan(
        "Nâng cao ý thức trách nhiệm, tinh thần đoàn kết", "Gương mẫu nơi cư trú", None, None, None, None
    ),
)
_PROGRESS_NOTES = (
    "Đang thực hiện theo lộ trình",
    "Đã làm được khoảng một nửa",
    "Đã xong mốc của quý",
    "Đã làm được một phần; tháng sau làm tiếp",
)
_DONE_NOTE = "Đã hoàn thành"
_FAILED_NOTE = "Chưa đạt chỉ tiêu do ốm dài ngày"
_UNFINISHED_NOTE = "Chưa hoàn thành trong năm; ghi nhận khi tổng kết"
_DONE_SHARE = 0.9
_FAILED_SHARE = 0.04
_MID_YEAR_DAY = (7, 20)
_YEAR_END_DAY = (12, 10)


@dataclass(frozen=True)
class DemoAttendance:
    """One roster member at one demo meeting."""

    member: str
    status: str
    reason: str | None


@dataclass(frozen=True)
class DemoReport:
    """A filed meeting report of one cell, with when it was filed."""

    cell: str
    year: int
    month: int
    kind: str
    meeting_date: date
    start_time: str
    end_time: str
    place: str
    topic: str | None
    chair: str
    minutes: str
    study: str
    documents: str | None
    review: str
    resolution: str
    quality: str
    attendance: tuple[DemoAttendance, ...]
    vote_for: int
    vote_total: int
    submitted_at: datetime
    late: bool


@dataclass(frozen=True)
class DemoUpdate:
    """One progress update of a pledge item."""

    on: date
    status: str
    note: str
    evidence: str | None


@dataclass(frozen=True)
class DemoItem:
    """One pledge item and its progress updates, oldest first."""

    action: str
    duty: str
    indicator: str | None
    deadline: date | None
    milestones: str | None
    evidence: str | None
    # What the bot's own check finds missing (domain.pledges.check_item): empty for a specific item.
    problems: tuple[str, ...]
    updates: tuple[DemoUpdate, ...]

    def status_on(self, day: date) -> str:
        """Return where the item stood on a day: its latest update by then."""
        done = [u.status for u in self.updates if u.on <= day]
        return done[-1] if done else NOT_STARTED


@dataclass(frozen=True)
class DemoPledge:
    """A member's pledge of a year, registered on the member's behalf by the cell's secretary."""

    cell: str
    member: str
    year: int
    registered_on: date
    items: tuple[DemoItem, ...]


@dataclass(frozen=True)
class DemoReview:
    """A member's mid-year or year-end review; the ranking is proposed from the items when written."""

    cell: str
    member: str
    year: int
    kind: str
    assessment: str
    reviewed_on: date
    # What the year-end review proposes a ranking from; none at mid-year.
    outcomes: tuple[ItemOutcome, ...]


@dataclass(frozen=True)
class DemoTask:
    """A remedial task of a conclusion, with what the cell reported on it."""

    description: str
    due_on: date
    updates: tuple[tuple[date, str], ...]


@dataclass(frozen=True)
class DemoConclusion:
    """What the inspection concluded, and when."""

    concluded_on: date
    strengths: str
    limitations: str
    recommendations: str
    tasks: tuple[DemoTask, ...]


@dataclass(frozen=True)
class DemoInspection:
    """An inspection of one cell: planned, perhaps with the cell's self-inspection and a conclusion."""

    cell: str
    planned_on: date
    session_on: date
    content: str
    period_start: date
    period_end: date
    documents: str
    self_report: tuple[date, str] | None
    conclusion: DemoConclusion | None


@dataclass(frozen=True)
class DemoHistory:
    """The ward's months up to `as_of` (twelve and more): what was filed, pledged, reviewed and inspected."""

    as_of: date
    first_month: tuple[int, int]
    themes: tuple[DemoYearTheme, ...]
    reports: tuple[DemoReport, ...]
    pledges: tuple[DemoPledge, ...]
    reviews: tuple[DemoReview, ...]
    inspections: tuple[DemoInspection, ...]


# The 2014 theme under Directive 03-CT/TW, for the year before the source scenario's.
_THEME_2014 = DemoYearTheme(
    year=2014,
    directive="Chỉ thị 03-CT/TW",
    theme="Học tập và làm theo tấm gương đạo đức Hồ Chí Minh về phong cách quần chúng, dân chủ, nêu gương; "
    "nói đi đôi với làm",
    wording="Học tập và làm theo tấm gương đạo đức Hồ Chí Minh",
)
# The theme of the 2021–2026 term (Kết luận 01-KL/TW, 2021), carried on until the committee sets
# a later one; years before 2016 followed Directive 03-CT/TW.
_TERM_THEME = DemoYearTheme(
    year=2021,
    directive="Chỉ thị 05-CT/TW",
    theme="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý chí tự lực, tự cường "
    "và khát vọng phát triển đất nước phồn vinh, hạnh phúc",
    wording="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
)
_DOCUMENTS_ASKED = (
    "Sổ biên bản sinh hoạt chi bộ, sổ nghị quyết, biên bản sinh hoạt chuyên đề, "
    "bản đăng ký của từng đảng viên và kết quả sơ kết, báo cáo tự kiểm tra"
)
_SELF_REPORT = (
    "Chi bộ duy trì sinh hoạt thường kỳ; đã rà soát bản đăng ký của đảng viên, "
    "còn một số nội dung chưa có chỉ tiêu và thời hạn."
)


def source_day(year: int) -> date:
    """Return the day a year's source scenario stands at: 01/09, when the September inspections came."""
    return date(year, *SOURCE_DAY)


def theme_of(ward: DemoWard, year: int) -> DemoYearTheme:
    """Return the theme of a year: the ward's own, else the term's in force that year."""
    themes = (_THEME_2014, *ward.year_themes, _TERM_THEME)
    earlier = [theme for theme in themes if theme.year <= year] or [_THEME_2014]
    base = max(earlier, key=lambda theme: theme.year)
    return DemoYearTheme(year, base.directive, base.theme, base.wording)


def demo_history(ward: DemoWard, as_of: date, *, source: bool) -> DemoHistory:
    """Build the ward's twelve months up to `as_of`; `source` gives the 2015 scenario's shape."""
    rng = random.Random(HISTORY_SEED)  # noqa: S311 - seeded on purpose: the same year for the same day
    current = month_index(as_of.year, as_of.month)
    # Twelve months back, from that year's January, so that the year digests and pledges are whole.
    first = month_index((as_of.year * 12 + as_of.month - 1 - HISTORY_MONTHS) // 12, 1)
    months = [(index // 12, index % 12 + 1) for index in range(first, current + 1)]
    reports = tuple(report for cell in ward.cells for report in _cell_reports(cell, months, as_of, rng))
    years = sorted({year for year, _ in months if date(year, 1, 10) < as_of})
    pledges = tuple(
        pledge
        for year in years
        for cell in ward.cells
        for pledge in _cell_pledges(cell, year, as_of, source, rng)
    )
    reviews = tuple(_reviews(ward, pledges, months, as_of))
    inspections = _source_inspections(ward, as_of) if source else _inspections(ward, as_of)
    return DemoHistory(
        as_of=as_of,
        first_month=months[0],
        themes=tuple(theme_of(ward, year) for year in years),
        reports=reports,
        pledges=pledges,
        reviews=reviews,
        inspections=inspections,
    )


def _on_roster(member: DemoMember, day: date) -> bool:
    """Tell whether a member was on the cell's roster on a day."""
    return member.joined_on <= day


def _cell_reports(
    cell: DemoCell, months: list[tuple[int, int]], as_of: date, rng: random.Random
) -> list[DemoReport]:
    """Draw a cell's meetings of the months, keeping those filed before `as_of`."""
    habit = _HABITS[cell.name]
    found = []
    for year, month in months:
        kinds = [REGULAR]
        if habit.thematic == COMBINED_STYLE and month % 3 == 2:
            kinds = [COMBINED]
        elif habit.thematic == SEPARATE_STYLE and month % 3 == 0:
            kinds = [REGULAR, THEMATIC]
        # A month's reports are filed together, late or not.
        late = habit.filing == OFTEN_LATE and rng.random() < _LATE_SHARE
        for kind in kinds:
            day = habit.meeting_day + rng.randint(-2, 2) + (10 if kind == THEMATIC else 0)
            meeting_date = date(year, month, min(day, month_days(year, month)[1].day))
            report = _report(cell, habit, kind, meeting_date, late, rng)
            if report.submitted_at < at_local(as_of, time(0, 0)):
                found.append(report)
    return found


def _report(
    cell: DemoCell, habit: _Habit, kind: str, meeting_date: date, late: bool, rng: random.Random
) -> DemoReport:
    """Draw one meeting of a cell and when its report was filed."""
    leaders = {cell.secretary, cell.deputy}
    attendance = []
    for member in cell.members:
        if not _on_roster(member, meeting_date):
            continue
        roll = rng.random()
        if member.excused:
            attendance.append(DemoAttendance(member.full_name, EXCUSED, None))
        elif member.full_name not in leaders and roll < _ABSENT_WITH_REASON_SHARE:
            attendance.append(DemoAttendance(member.full_name, ABSENT_WITH_REASON, rng.choice(_REASONS)))
        elif (
            habit.filing == OFTEN_LATE
            and member.full_name not in leaders
            and roll < _ABSENT_WITH_REASON_SHARE + _ABSENT_WITHOUT_REASON_SHARE
        ):
            attendance.append(DemoAttendance(member.full_name, ABSENT_WITHOUT_REASON, None))
        else:
            attendance.append(DemoAttendance(member.full_name, PRESENT, None))
    # A meeting keeps above the good-quality bar (85%): the surplus absentees came after all.
    expected = sum(1 for a in attendance if a.status != EXCUSED)
    allowed = max(1, expected // 10)
    absent = [i for i, a in enumerate(attendance) if a.status in (ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON)]
    for index in absent[allowed:]:
        attendance[index] = DemoAttendance(attendance[index].member, PRESENT, None)
    statuses = {m.full_name: m.status for m in cell.members}
    voters = sum(1 for a in attendance if a.status == PRESENT and statuses[a.member] == "full")
    start, end = habit.hours
    if kind == COMBINED:
        start = (datetime.combine(meeting_date, time.fromisoformat(start)) - _COMBINED_EARLIER).strftime(
            "%H:%M"
        )
    year, month = meeting_date.year, meeting_date.month
    deadline = report_deadline(year, month, ReminderSettings())
    if late:
        filed_on = deadline + timedelta(days=rng.randint(2, 8))
    else:
        filed_on = meeting_date + timedelta(days=rng.randint(1, 4))
    pick = rng.randrange(3)
    documents = rng.choice(_DOCUMENTS)
    return DemoReport(
        cell=cell.name,
        year=year,
        month=month,
        kind=kind,
        meeting_date=meeting_date,
        start_time=start,
        end_time=end,
        place=habit.place,
        topic=_TOPICS[quarter_of(month) - 1] if kind != REGULAR else None,
        chair=cell.secretary,
        minutes=cell.deputy,
        study=_STUDY[month_index(year, month) % len(_STUDY)],
        documents=documents.format(year=year) if documents else None,
        review=_REVIEWS[cell.kind][pick],
        resolution=_RESOLUTIONS[cell.kind][pick],
        quality=rng.choice(_QUALITIES),
        attendance=tuple(attendance),
        vote_for=voters,
        vote_total=voters,
        submitted_at=at_local(filed_on, time(20, rng.randint(0, 59))),
        late=filed_on > deadline,
    )


def _cell_pledges(
    cell: DemoCell, year: int, as_of: date, source: bool, rng: random.Random
) -> list[DemoPledge]:
    """Draw the pledges of a cell's members for a year, registered in January (or after joining)."""
    habit = _HABITS[cell.name]
    vague_share = habit.source_vague_share if source else habit.vague_share
    found = []
    vague = set(rng.sample([m.full_name for m in cell.members], round(len(cell.members) * vague_share)))
    for member in cell.members:
        registered_on = max(date(year, 1, rng.randint(10, 25)), member.joined_on + timedelta(days=21))
        plans = rng.sample(_SPECIFIC[cell.kind], rng.choice((2, 2, 3)))
        if member.full_name in vague:
            plans[rng.randrange(len(plans))] = rng.choice(_VAGUE)
        if registered_on >= as_of or registered_on.year != year:
            continue
        items = tuple(_item(plan, year, registered_on, as_of, source, rng) for plan in plans)
        found.append(DemoPledge(cell.name, member.full_name, year, registered_on, items))
    return found


def _item(
    plan: _ItemPlan, year: int, registered_on: date, as_of: date, source: bool, rng: random.Random
) -> DemoItem:
    """Turn a planned item into a registered one with its progress updates up to `as_of`."""
    deadline = date(year, *plan.deadline) if plan.deadline else None
    problems = check_item(plan.action, plan.indicator, deadline, plan.evidence).problems
    updates: list[DemoUpdate] = []
    # The source scenario's cells did not follow their members: most items never got an update.
    followed = plan.indicator is not None and rng.random() < (0.3 if source else 0.95)
    if followed:
        day = registered_on + timedelta(days=rng.randint(50, 80))
        end = min(deadline or date(year, 12, 15), as_of - timedelta(days=1))
        while day < end:
            updates.append(DemoUpdate(day, IN_PROGRESS, rng.choice(_PROGRESS_NOTES), None))
            day += timedelta(days=rng.randint(60, 100))
        if deadline is not None and deadline < as_of:
            finished = deadline - timedelta(days=rng.randint(0, 10))
            roll = rng.random()
            if roll < _DONE_SHARE and finished > registered_on:
                updates = [u for u in updates if u.on < finished]
                updates.append(DemoUpdate(finished, DONE, _DONE_NOTE, plan.evidence))
            elif roll < _DONE_SHARE + _FAILED_SHARE:
                updates.append(DemoUpdate(deadline, FAILED, _FAILED_NOTE, None))
    # The year-end review closes what the year left unfinished: it is recorded as not achieved.
    closing = date(year, *_YEAR_END_DAY)
    if closing < as_of and (not updates or updates[-1].status not in (DONE, FAILED)):
        updates.append(DemoUpdate(closing, FAILED, _UNFINISHED_NOTE, None))
    return DemoItem(
        plan.action,
        plan.duty,
        plan.indicator,
        deadline,
        plan.milestones,
        plan.evidence,
        tuple(problem.value for problem in problems),
        tuple(updates),
    )


def _reviews(
    ward: DemoWard, pledges: tuple[DemoPledge, ...], months: list[tuple[int, int]], as_of: date
) -> list[DemoReview]:
    """Review every pledged member at mid-year (July) and year-end (December) within the months."""
    found = []
    secretaries = {cell.name: cell.secretary for cell in ward.cells}
    for pledge in pledges:
        for kind, (month, day) in ((MID_YEAR, _MID_YEAR_DAY), (YEAR_END, _YEAR_END_DAY)):
            reviewed_on = date(pledge.year, month, day)
            if (pledge.year, month) not in months or reviewed_on >= as_of:
                continue
            statuses = [item.status_on(reviewed_on) for item in pledge.items]
            assessment = _assessment(statuses.count(DONE), len(statuses), secretaries[pledge.cell])
            outcomes = tuple(
                ItemOutcome(status, bool(item.problems))
                for status, item in zip(statuses, pledge.items, strict=True)
                if kind == YEAR_END
            )
            found.append(
                DemoReview(pledge.cell, pledge.member, pledge.year, kind, assessment, reviewed_on, outcomes)
            )
    return found


def _assessment(done: int, total: int, secretary: str) -> str:
    """Write a review's assessment of a member's items, as a cell's minute book would."""
    return (
        f"Đã hoàn thành {done}/{total} nội dung đăng ký; "
        f"đồng chí {secretary} thay mặt chi ủy đã trao đổi với đồng chí về các nội dung còn lại."
    )


def _next_september(as_of: date) -> date:
    """Return the next 15 September after a day."""
    this_year = date(as_of.year, 9, 15)
    return this_year if this_year > as_of else date(as_of.year + 1, 9, 15)


def _months_back(day: date, months: int) -> date:
    """Return the first day of the month `months` months before a day's month."""
    year, month = divmod(month_index(day.year, day.month) - months, 12)
    return date(year, month + 1, 1)


def _inspections(ward: DemoWard, as_of: date) -> tuple[DemoInspection, ...]:
    """Plan a September inspection of the often-late cell and conclude one of the vague-pledge cell."""
    session_on = _months_back(as_of, 4) + timedelta(days=17)
    directive = theme_of(ward, session_on.year).directive
    concluded_on = session_on + timedelta(days=7)
    task = DemoTask(
        "Hướng dẫn các đồng chí có bản đăng ký chung chung bổ sung chỉ tiêu, thời hạn và minh chứng",
        _months_back(as_of, -2) - timedelta(days=1),
        (
            (
                concluded_on + timedelta(days=30),
                "Chi ủy đã phân công đồng chí phó bí thư hướng dẫn từng đảng viên.",
            ),
        ),
    )
    concluded = DemoInspection(
        cell="Chi bộ 12",
        planned_on=session_on - timedelta(days=21),
        session_on=session_on,
        content=f"Việc thực hiện {directive} và đăng ký học tập, làm theo của đảng viên",
        period_start=_months_back(session_on, 6),
        period_end=_months_back(session_on, 0) - timedelta(days=1),
        documents=_DOCUMENTS_ASKED,
        self_report=(session_on - timedelta(days=3), _SELF_REPORT),
        conclusion=DemoConclusion(
            concluded_on=concluded_on,
            strengths="Chi bộ duy trì sinh hoạt thường kỳ đều đặn, báo cáo đúng hạn; "
            "sinh hoạt chuyên đề mỗi quý.",
            limitations="Nhiều bản đăng ký còn chung chung («phấn đấu», «nâng cao»), "
            "chưa có chỉ tiêu đo được, thời hạn và minh chứng.",
            recommendations="Chi ủy hướng dẫn từng đảng viên sửa bản đăng ký, theo dõi tại mỗi kỳ sinh hoạt.",
            tasks=(task,),
        ),
    )
    september = _next_september(as_of)
    planned = DemoInspection(
        cell="Chi bộ 14",
        planned_on=as_of - timedelta(days=7),
        session_on=september,
        content="Việc duy trì sinh hoạt chi bộ, nộp báo cáo đúng hạn và theo dõi bản đăng ký của đảng viên",
        period_start=date(september.year, 1, 1),
        period_end=date(september.year, 8, 31),
        documents=_DOCUMENTS_ASKED,
        self_report=None,
        conclusion=None,
    )
    return (concluded, planned)


_SOURCE_LIMITATIONS = (
    "Bản đăng ký của nhiều đảng viên còn chung chung, chưa có chỉ tiêu đo được, thời hạn và minh chứng. "
    "Chi bộ chưa theo dõi thường xuyên việc thực hiện của từng đảng viên nên chưa tổng hợp được kết quả."
)
_SOURCE_TASKS = (
    (
        "Hướng dẫn từng đảng viên sửa bản đăng ký: mỗi nội dung có chỉ tiêu, lộ trình, thời hạn, minh chứng",
        (9, 15),
    ),
    ("Lập sổ theo dõi việc thực hiện bản đăng ký của từng đảng viên, cập nhật tại mỗi kỳ sinh hoạt", (9, 30)),
)


def _source_inspections(ward: DemoWard, as_of: date) -> tuple[DemoInspection, ...]:
    """Conclude the UBKT's inspections of the four cells in the summer; plan September's follow-up."""
    year = as_of.year
    directive = theme_of(ward, year).directive
    content = f"Việc thực hiện {directive} về học tập và làm theo Bác, đăng ký và theo dõi của đảng viên"
    found = []
    for index, cell in enumerate(ward.cells):
        session_on = date(year, 7, 7) + timedelta(days=7 * index)
        concluded_on = session_on + timedelta(days=10)
        tasks = tuple(
            DemoTask(
                description,
                date(year, *due),
                (
                    (
                        concluded_on + timedelta(days=14),
                        "Chi ủy đã họp triển khai, đang hướng dẫn từng đảng viên.",
                    ),
                ),
            )
            for description, due in _SOURCE_TASKS
        )
        found.append(
            DemoInspection(
                cell=cell.name,
                planned_on=date(year, 6, 15),
                session_on=session_on,
                content=content,
                period_start=date(year, 1, 1),
                period_end=date(year, 6, 30),
                documents=_DOCUMENTS_ASKED,
                self_report=(session_on - timedelta(days=2), _SELF_REPORT),
                conclusion=DemoConclusion(
                    concluded_on=concluded_on,
                    strengths="Chi bộ duy trì sinh hoạt thường kỳ; đảng viên đều có bản đăng ký.",
                    limitations=_SOURCE_LIMITATIONS,
                    recommendations="Sửa bản đăng ký cho cụ thể; theo dõi từng đảng viên đến cuối năm.",
                    tasks=tasks,
                ),
            )
        )
    for index, cell in enumerate(ward.cells[:2]):
        found.append(
            DemoInspection(
                cell=cell.name,
                planned_on=as_of - timedelta(days=7),
                session_on=date(year, 9, 15) + timedelta(days=7 * index),
                content="Kiểm tra việc khắc phục hạn chế: bản đăng ký cụ thể và sổ theo dõi từng đảng viên",
                period_start=date(year, 1, 1),
                period_end=date(year, 8, 31),
                documents=_DOCUMENTS_ASKED,
                self_report=None,
                conclusion=None,
            )
        )
    return tuple(found)
