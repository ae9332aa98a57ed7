"""The specificity check on real Vietnamese pledge phrasings, with and without diacritics."""

from __future__ import annotations

from datetime import date

import pytest

from domain.pledges import (
    DONE,
    FAILED,
    IN_PROGRESS,
    NOT_STARTED,
    ItemOutcome,
    Problem,
    check_item,
    is_overdue,
    is_stale,
    months_before,
    propose_ranking,
    review_due,
)

DEADLINE = date(2015, 12, 31)

SPECIFIC = [
    (
        "Viết 2 bài tuyên truyền về phân loại rác trên loa phường",
        "2 bài, đăng trong quý IV",
        "Bản in 2 bài viết",
    ),
    (
        "Viet 2 bai tuyen truyen ve phan loai rac tren loa phuong",
        "2 bai, dang trong quy IV",
        "Ban in 2 bai viet",
    ),
    ("Vận động 10 hộ trong tổ dân phố 5 đóng quỹ khuyến học", "10 hộ đóng quỹ", "Danh sách hộ đã đóng"),
    ("Van dong 10 ho trong to dan pho 5 dong quy khuyen hoc", "10 ho dong quy", "Danh sach ho da dong"),
    (
        "Dự đủ các buổi sinh hoạt chi bộ, không vắng không lý do",
        "100% buổi sinh hoạt",
        "Sổ điểm danh của chi bộ",
    ),
    (
        "Du du cac buoi sinh hoat chi bo, khong vang khong ly do",
        "100% buoi sinh hoat",
        "So diem danh cua chi bo",
    ),
    ("Đọc và ghi chép sách «Bác Hồ với thiếu nhi»", "Mỗi tháng một chương", "Sổ ghi chép"),
    ("Doc va ghi chep sach Bac Ho voi thieu nhi", "moi thang mot chuong", "So ghi chep"),
    ("Sửa thói quen đi họp muộn", "Đến trước giờ họp 10 phút, cả 12 buổi", "Xác nhận của bí thư chi bộ"),
    ("Hướng dẫn con học tiếng Anh giao tiếp", "hằng tuần hai buổi", "Kết quả học kỳ của con"),
]

VAGUE = [
    (
        "Phấn đấu hoàn thành tốt nhiệm vụ được giao",
        "Hoàn thành tốt",
        {Problem.VAGUE_ACTION, Problem.UNMEASURABLE_INDICATOR},
    ),
    (
        "Phan dau hoan thanh tot nhiem vu duoc giao",
        "Hoan thanh tot",
        {Problem.VAGUE_ACTION, Problem.UNMEASURABLE_INDICATOR},
    ),
    ("Luôn luôn nâng cao ý thức trách nhiệm", None, {Problem.VAGUE_ACTION, Problem.NO_INDICATOR}),
    ("luon luon nang cao y thuc trach nhiem", None, {Problem.VAGUE_ACTION, Problem.NO_INDICATOR}),
    (
        "Tích cực học tập và làm theo tấm gương đạo đức Hồ Chí Minh",
        "Thường xuyên",
        {Problem.VAGUE_ACTION, Problem.UNMEASURABLE_INDICATOR},
    ),
    (
        "tich cuc hoc tap va lam theo tam guong dao duc Ho Chi Minh",
        "thuong xuyen",
        {Problem.VAGUE_ACTION, Problem.UNMEASURABLE_INDICATOR},
    ),
    (
        "Chấp hành tốt chủ trương của Đảng, chính sách pháp luật của Nhà nước",
        "Đầy đủ, nghiêm túc",
        {Problem.VAGUE_ACTION, Problem.UNMEASURABLE_INDICATOR},
    ),
    (
        "CHAP HANH TOT chu truong cua Dang, chinh sach phap luat cua Nha nuoc",
        "day du, nghiem tuc",
        {Problem.VAGUE_ACTION, Problem.UNMEASURABLE_INDICATOR},
    ),
    (
        "Giữ gìn phẩm chất đạo đức, lối sống trong sạch",
        "Không vi phạm",
        {Problem.VAGUE_ACTION, Problem.UNMEASURABLE_INDICATOR},
    ),
    (
        "Tự giác rèn luyện, tu dưỡng, gương mẫu",
        "Có hiệu quả",
        {Problem.VAGUE_ACTION, Problem.UNMEASURABLE_INDICATOR},
    ),
]


@pytest.mark.parametrize(("action", "indicator", "evidence"), SPECIFIC)
def test_specific_items_pass(action: str, indicator: str, evidence: str) -> None:
    """An item with a concrete action, a number, a deadline and evidence is specific."""
    result = check_item(action, indicator, DEADLINE, evidence)
    assert result.specific, result.problems


@pytest.mark.parametrize(("action", "indicator", "problems"), VAGUE)
def test_vague_items_are_flagged(action: str, indicator: str | None, problems: set[Problem]) -> None:
    """Vague phrasings are flagged with what is missing, with or without diacritics."""
    result = check_item(action, indicator, DEADLINE, "Biên bản")
    assert not result.specific
    assert set(result.problems) == problems


def test_vague_phrases_are_named() -> None:
    """The check names the vague phrases it found, with diacritics, so the hint can quote them."""
    result = check_item("Phấn đấu nâng cao chất lượng sinh hoạt", "tích cực", DEADLINE, "Biên bản")
    assert result.vague_phrases[:3] == ("phấn đấu", "nâng cao", "chất lượng")


def test_missing_deadline_flags_an_otherwise_concrete_item() -> None:
    """A concrete item without a deadline is still "chung chung"."""
    result = check_item("Viết 2 bài tuyên truyền", "2 bài", None, "Bản in")
    assert result.problems == (Problem.NO_DEADLINE,)


def test_missing_evidence_flags_an_otherwise_concrete_item() -> None:
    """A concrete item that names nothing to show is flagged."""
    result = check_item("Viết 2 bài tuyên truyền", "2 bài", DEADLINE, "đầy đủ")
    assert result.problems == (Problem.NO_EVIDENCE,)


def test_concrete_action_with_vague_words_passes_when_measured() -> None:
    """A vague word inside a concrete, measured action does not flag it."""
    result = check_item("Tích cực vận động 5 hộ nghèo làm hồ sơ vay vốn", "5 hộ", DEADLINE, "Hồ sơ vay vốn")
    assert result.specific


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2015, 9, 10), date(2015, 6, 10)),
        (date(2015, 5, 31), date(2015, 2, 28)),
        (date(2015, 2, 15), date(2014, 11, 15)),
    ],
)
def test_months_before_counts_calendar_months(today: date, expected: date) -> None:
    """Three months before a day is the same day of the month, clamped to its end."""
    assert months_before(today, 3) == expected


def test_overdue_is_an_unfinished_item_past_its_deadline() -> None:
    """Only unfinished items past their deadline are overdue."""
    today = date(2015, 9, 10)
    assert is_overdue(date(2015, 9, 1), IN_PROGRESS, today)
    assert not is_overdue(date(2015, 9, 1), DONE, today)
    assert not is_overdue(date(2015, 9, 10), NOT_STARTED, today)
    assert not is_overdue(None, NOT_STARTED, today)


def test_stale_is_three_months_without_an_update() -> None:
    """An unfinished item last touched over three months ago is stale; finished ones never are."""
    today = date(2015, 9, 10)
    assert is_stale(date(2015, 6, 9), IN_PROGRESS, today)
    assert not is_stale(date(2015, 6, 10), IN_PROGRESS, today)
    assert not is_stale(date(2015, 1, 1), DONE, today)


@pytest.mark.parametrize(
    ("today", "review"),
    [
        (date(2015, 6, 1), "mid_year"),
        (date(2015, 7, 31), "mid_year"),
        (date(2015, 11, 1), "year_end"),
        (date(2015, 9, 10), None),
    ],
)
def test_review_season(today: date, review: str | None) -> None:
    """Mid-year review is June–July, year-end review November–December."""
    assert review_due(today) == review


@pytest.mark.parametrize(
    ("outcomes", "levels", "expected"),
    [
        ([ItemOutcome(DONE, False)] * 3, 4, 0),
        ([ItemOutcome(DONE, True)] * 3, 4, 1),
        ([ItemOutcome(DONE, False)] * 3 + [ItemOutcome(IN_PROGRESS, False)], 4, 1),
        ([ItemOutcome(DONE, False), ItemOutcome(FAILED, False)], 4, 2),
        ([ItemOutcome(NOT_STARTED, False)] * 2, 4, 3),
        ([ItemOutcome(NOT_STARTED, False)] * 2, 3, 2),
        ([], 4, None),
    ],
)
def test_proposed_ranking_follows_the_share_done(
    outcomes: list[ItemOutcome], levels: int, expected: int | None
) -> None:
    """The proposal rests on the share of items done, and fits any scale length."""
    assert propose_ranking(outcomes, levels) == expected


def test_phrases_typed_without_diacritics_are_quoted_with_them() -> None:
    """«phan dau nang cao» is quoted back as «phấn đấu», «nâng cao»."""
    assert check_item("phan dau nang cao", None, None, None).vague_phrases == ("phấn đấu", "nâng cao")
