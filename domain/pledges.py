"""Pledge rules: when an item is specific, when it is overdue or stale, and a proposed ranking."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from domain.words import normalize

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
FAILED = "failed"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, FAILED)
FINAL_STATUSES = frozenset({DONE, FAILED})

MID_YEAR = "mid_year"
YEAR_END = "year_end"

STALE_MONTHS = 3

# Phrases the 2015 inspection called "chung chung": verbs of intent and virtues with no
# object one could count. Written with diacritics for reading; matched without.
VAGUE_PHRASES = (
    "phấn đấu",
    "luôn luôn",
    "luôn",
    "nâng cao",
    "tích cực",
    "chấp hành tốt",
    "chấp hành nghiêm",
    "chấp hành",
    "thực hiện tốt",
    "thực hiện nghiêm",
    "hoàn thành tốt",
    "hoàn thành xuất sắc",
    "gương mẫu",
    "không ngừng",
    "nghiêm túc",
    "tự giác",
    "cố gắng",
    "đẩy mạnh",
    "tăng cường",
    "rèn luyện",
    "tu dưỡng",
    "học tập và làm theo",
    "học tập",
    "làm theo",
    "tấm gương",
    "đạo đức",
    "tư tưởng",
    "phong cách",
    "ý thức",
    "trách nhiệm",
    "phẩm chất",
    "lối sống",
    "tác phong",
    "tinh thần",
    "đoàn kết",
    "giữ gìn",
    "góp phần",
    "trung thực",
    "gắn bó với nhân dân",
    "trong sạch",
    "vững mạnh",
    "xây dựng đảng",
    "chủ trương",
    "đường lối",
    "chính sách",
    "pháp luật",
    "nghị quyết",
    "quy định",
    "nội quy",
    "có hiệu quả",
    "hiệu quả",
    "chất lượng",
    "tốt hơn",
    "sâu sát",
    "gần dân",
    "nhiệt tình",
    "đầy đủ",
    "thường xuyên",
    "kịp thời",
)
# Function words and the generic nouns every pledge repeats; they carry no action.
_FILLER = frozenset(
    normalize(word)
    for word in (
        "tôi",
        "sẽ",
        "và",
        "của",
        "mình",
        "bản",
        "thân",
        "trong",
        "các",
        "những",
        "mọi",
        "cho",
        "để",
        "với",
        "ở",
        "tại",
        "về",
        "là",
        "có",
        "được",
        "một",
        "cách",
        "hơn",
        "nữa",
        "nhất",
        "công",
        "việc",
        "nhiệm",
        "vụ",
        "tác",
        "đảng",
        "viên",
        "chi",
        "bộ",
        "hồ",
        "minh",
        "giao",
        "mới",
        "thật",
        "sự",
        "tốt",
        "rất",
        "đã",
        "đang",
        "cần",
        "phải",
        "nhà",
        "nước",
        "của",
        "đối",
        "người",
        "nhân",
        "dân",
        "cao",
        "luôn",
        "theo",
        "sống",
        "đúng",
    )
)
_NUMBER_WORDS = frozenset(
    normalize(word) for word in ("một", "hai", "ba", "bốn", "mười", "trăm", "nghìn", "ngàn", "triệu", "nửa")
)
_FREQUENCIES = tuple(
    normalize(phrase)
    for phrase in (
        "hằng ngày",
        "hàng ngày",
        "mỗi ngày",
        "hằng tuần",
        "hàng tuần",
        "mỗi tuần",
        "hằng tháng",
        "hàng tháng",
        "mỗi tháng",
        "hằng quý",
        "hàng quý",
        "mỗi quý",
        "hằng năm",
        "hàng năm",
        "mỗi năm",
        "mỗi buổi",
        "tất cả",
        "toàn bộ",
    )
)
_VAGUE_PATTERN = re.compile(
    r"\b(?:"
    + "|".join(re.escape(normalize(p)) for p in sorted(VAGUE_PHRASES, key=len, reverse=True))
    + r")\b"
)
_NOT_A_WORD = re.compile(r"[^\w%]+")
# Users typing without diacritics still read the phrases quoted back with them.
_WRITTEN = {normalize(phrase): phrase for phrase in reversed(VAGUE_PHRASES)}


class Problem(StrEnum):
    """Why an item is not specific; each one has a concrete hint in the texts."""

    VAGUE_ACTION = "vague_action"
    NO_INDICATOR = "no_indicator"
    UNMEASURABLE_INDICATOR = "unmeasurable_indicator"
    NO_DEADLINE = "no_deadline"
    NO_EVIDENCE = "no_evidence"


@dataclass(frozen=True)
class Specificity:
    """The outcome of checking one pledge item."""

    problems: tuple[Problem, ...]
    vague_phrases: tuple[str, ...]

    @property
    def specific(self) -> bool:
        """Tell whether the item passed every check."""
        return not self.problems


def _words(text: str) -> str:
    """Normalize text and turn punctuation into single spaces."""
    return " ".join(_NOT_A_WORD.sub(" ", normalize(text)).split())


def vague_phrases_in(text: str) -> tuple[str, ...]:
    """Return the vague phrases a text uses, as the list writes them, in order of appearance."""
    found = _VAGUE_PATTERN.findall(_words(text))
    return tuple(dict.fromkeys(_WRITTEN[phrase] for phrase in found))


def _content_words(text: str) -> list[str]:
    """Return the words left once vague phrases and filler words are taken out."""
    stripped = _VAGUE_PATTERN.sub(" ", _words(text))
    return [word for word in stripped.split() if word not in _FILLER]


def is_vague_only(text: str) -> bool:
    """Tell whether a text says nothing beyond vague phrases and filler words."""
    return not _content_words(text)


def is_measurable(indicator: str) -> bool:
    """Tell whether an indicator names something countable: a number, a share or a frequency."""
    words = _VAGUE_PATTERN.sub(" ", _words(indicator)).replace("mot cach", " ")
    if re.search(r"\d", words, re.ASCII):
        return True
    padded = f" {' '.join(words.split())} "
    if any(f" {phrase} " in padded for phrase in _FREQUENCIES):
        return True
    return any(word in _NUMBER_WORDS for word in words.split())


def check_item(
    action: str, indicator: str | None, deadline: date | None, evidence: str | None
) -> Specificity:
    """Check a pledge item: a concrete action, a measurable indicator, a deadline, evidence."""
    problems: list[Problem] = []
    if is_vague_only(action):
        problems.append(Problem.VAGUE_ACTION)
    if not indicator or not indicator.strip():
        problems.append(Problem.NO_INDICATOR)
    elif not is_measurable(indicator):
        problems.append(Problem.UNMEASURABLE_INDICATOR)
    if deadline is None:
        problems.append(Problem.NO_DEADLINE)
    if not evidence or not evidence.strip() or is_vague_only(evidence):
        problems.append(Problem.NO_EVIDENCE)
    phrases = vague_phrases_in(" ".join(part for part in (action, indicator or "") if part))
    return Specificity(tuple(problems), phrases)


_DATE_IN_TEXT = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}(?:/\d{4})?(?![\d/])", re.ASCII)
_COUNT_IN_TEXT = re.compile(r"(?<![\d/])(\d+(?:[.,]\d+)?\s?%?)\s+(\w+)")


@dataclass(frozen=True)
class Taken:
    """What an action already says: its measurable indicator and its deadline, as written."""

    indicator: str
    deadline: str


def taken_from_action(action: str) -> Taken | None:
    """Return the count and the date an action names («viết 2 bài … trước 31/10»), if it names both."""
    dates = _DATE_IN_TEXT.findall(action)
    counts = _COUNT_IN_TEXT.findall(_DATE_IN_TEXT.sub(" ", action))
    if len(dates) != 1 or not counts:
        return None
    number, unit = counts[0]
    return Taken(f"{number.strip()} {unit}", dates[0])


def months_before(day: date, months: int) -> date:
    """Return the same day `months` calendar months earlier, clamped to the month's end."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_overdue(deadline: date | None, status: str, today: date) -> bool:
    """Tell whether an item's deadline passed before it was finished."""
    return deadline is not None and deadline < today and status not in FINAL_STATUSES


def is_stale(last_activity: date, status: str, today: date) -> bool:
    """Tell whether an unfinished item went without an update for the last three months."""
    return status not in FINAL_STATUSES and last_activity < months_before(today, STALE_MONTHS)


def review_due(today: date) -> str | None:
    """Return the review whose season it is: mid-year in June–July, year-end in Nov–Dec."""
    if today.month in (6, 7):
        return MID_YEAR
    if today.month in (11, 12):
        return YEAR_END
    return None


@dataclass(frozen=True)
class ItemOutcome:
    """What the year-end review needs to know of one item."""

    status: str
    vague: bool


def propose_ranking(outcomes: Sequence[ItemOutcome], levels: int) -> int | None:
    """Propose a level (0 = best) on a scale of `levels` from the share of items done.

    Vague or failed items keep a member off the top level: the 2015 inspection asked that
    rankings rest on what each member measurably did.
    """
    if not outcomes or levels < 1:
        return None
    done = sum(1 for o in outcomes if o.status == DONE) / len(outcomes)
    blemished = any(o.vague or o.status == FAILED for o in outcomes)
    if done >= 0.9 and not blemished:
        rung = 0
    elif done >= 0.7:
        rung = 1
    elif done >= 0.5:
        rung = 2
    else:
        rung = 3
    # The thresholds are written for the four-level scale; other scales are stretched to fit.
    return min(round(rung * (levels - 1) / 3), levels - 1)


class ItemState(Protocol):
    """What the standing of a member needs to know of each item."""

    # Read-only, as the fields of the NamedTuple storage hands over.
    @property
    def status(self) -> str:
        """Return the item's progress status."""
        ...

    @property
    def vague(self) -> bool:
        """Return whether the item was flagged as not specific."""
        ...

    @property
    def deadline(self) -> date | None:
        """Return the item's deadline, if it has one."""
        ...

    @property
    def last_activity(self) -> date:
        """Return the day of the latest update, or of registration when none."""
        ...


SPECIFIC = "specific"
VAGUE = "vague"
NONE = "none"


@dataclass(frozen=True)
class Standing:
    """One member's pledge figures: coverage, items done, in progress and overdue, staleness."""

    coverage: str
    items: int
    done: int
    in_progress: int
    overdue: int
    stale: bool


def standing(items: Sequence[ItemState], today: date) -> Standing:
    """Sum up a member's items; stale means unfinished items and no update for three months."""
    if not items:
        return Standing(NONE, 0, 0, 0, 0, False)
    unfinished = [i for i in items if i.status not in FINAL_STATUSES]
    latest = max(i.last_activity for i in items)
    return Standing(
        coverage=VAGUE if any(i.vague for i in items) else SPECIFIC,
        items=len(items),
        done=sum(1 for i in items if i.status == DONE),
        in_progress=sum(1 for i in items if i.status == IN_PROGRESS),
        overdue=sum(1 for i in items if is_overdue(i.deadline, i.status, today)),
        stale=bool(unfinished) and latest < months_before(today, STALE_MONTHS),
    )
