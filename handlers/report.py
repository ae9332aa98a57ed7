"""/baocao: a cell's leader files the month's meeting report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from core.commands import LEADERS, Command
from core.context import Ctx
from core.forms import (
    Answers,
    Form,
    FormCtx,
    FormError,
    PartialAnswer,
    Step,
    parse_words,
    required_words,
    show_date,
)
from core.messages import Option, Outbound
from core.parsing import (
    NumbersPartlyOutOfRange,
    ParseError,
    is_nobody_answer,
    is_none_answer,
    is_number,
    match_choice,
    parse_date,
    parse_month,
    parse_number_list,
    parse_time,
)
from domain.attendance import ABSENT_WITHOUT_REASON, EXCUSED, Attendance, member_status
from domain.calendar import previous_month
from domain.clock import fmt_date, fmt_month
from domain.meetings import (
    FULL_MEMBER,
    KINDS,
    MAX_MONTHS_BACK,
    REGULAR,
    THEMATIC_KINDS,
    default_report_month,
    duration_minutes,
    minimum_minutes,
    month_days,
    months_ago,
    quarter_of,
)
from domain.words import normalize
from handlers.access import member_named
from handlers.choices import year_theme
from handlers.report_codes import deadline_of, month_of, month_value, report_code
from storage import accounts, org, reports
from storage.org import Member, YearTheme
from storage.reports import AttendanceEntry, ReportContent, Usual
from texts import report as t

MAX_ABSENT = 100
SAME, NEW = "same", "new"
# The answers «Như tháng trước» keeps from the last report.
USUAL_DETAILS = ("start_time", "end_time", "place", "guests", "chair", "minutes")
_NUMBER = re.compile(r"\d{1,4}", re.ASCII)


@dataclass(frozen=True)
class Roster:
    """A cell's members on a meeting day, numbered from 1 as every roster of that day numbers them."""

    members: list[Member]

    @property
    def expected(self) -> list[Member]:
        """Return the members expected at the meeting: everyone not excused."""
        return [m for m in self.members if not m.excused]

    @property
    def excused(self) -> list[Member]:
        """Return the members excused from meetings, who are not counted absent."""
        return [m for m in self.members if m.excused]

    @property
    def total(self) -> int:
        """Return how many members the cell had that day."""
        return len(self.members)

    def number(self, member_id: int) -> int:
        """Return a member's 1-based number on the day's roster."""
        return next(i for i, m in enumerate(self.members, start=1) if m.id == member_id)

    def name(self, member_id: int) -> str:
        """Return the name of a member on this roster."""
        return next(m.full_name for m in self.members if m.id == member_id)

    def ids(self) -> set[int]:
        """Return the ids of the expected members."""
        return {m.id for m in self.expected}


async def load_roster(conn: AsyncConnection, cell_id: int, day: date) -> Roster:
    """Return the cell's roster on a meeting day, in the order (and so the numbers) of every roster."""
    return Roster(await org.list_members(conn, cell_id, on=day))


def cell_id_of(fctx: FormCtx) -> int:
    """Return the cell the report is about."""
    return fctx.params["cell_id"]


def _month(fctx: FormCtx) -> tuple[int, int]:
    """Return the report's (year, month)."""
    return month_of(fctx.draft["month"])


def _day(fctx: FormCtx) -> date:
    """Return the meeting day."""
    return date.fromisoformat(fctx.draft["date"])


async def _roster(fctx: FormCtx) -> Roster:
    """Return the roster of the meeting day, read once per update however many steps show it."""
    cell_id, day = cell_id_of(fctx), _day(fctx)
    return await fctx.once(("report roster", cell_id, day), lambda: load_roster(fctx.ctx.conn, cell_id, day))


async def _roster_ids(fctx: FormCtx) -> list[int]:
    """Return the members the roster questions number, in their order."""
    return [m.id for m in (await _roster(fctx)).members]


async def _kinds_in(fctx: FormCtx, year: int, month: int, except_id: int | None = None) -> dict[str, int]:
    """Return the kinds a cell reported for a month, read once per update however many steps ask."""
    cell_id, conn = cell_id_of(fctx), fctx.ctx.conn
    return await fctx.once(
        ("report kinds", cell_id, year, month, except_id),
        lambda: reports.kinds_filed(conn, cell_id, year, month, except_id=except_id),
    )


async def _month_choices(fctx: FormCtx) -> list[tuple[int, int]]:
    """Return the likely months: the default first, then the other recent one."""
    today = fctx.ctx.today
    previous = previous_month(today)
    filed = await _kinds_in(fctx, *previous)
    default = default_report_month(today, bool(filed))
    other = previous if default != previous else (today.year, today.month)
    return [default, other]


async def _month_prompt(fctx: FormCtx) -> str:
    """Ask the month, naming the usual one."""
    default = (await _month_choices(fctx))[0]
    return t.ask_month(*default)


async def _month_options(fctx: FormCtx) -> list[Option]:
    """Offer the two likely months."""
    return [Option(t.month_label(y, m), month_value(y, m)) for y, m in await _month_choices(fctx)]


async def _parse_month(fctx: FormCtx, text: str) -> str:
    """Accept a month that has come and is not too far back."""
    return _checked_month(fctx, *parse_month(text, fctx.ctx.today))


def _checked_month(fctx: FormCtx, year: int, month: int) -> str:
    """Return a month as stored, refusing one that has not come or is too far back."""
    ago = months_ago(fctx.ctx.today, year, month)
    if ago < 0:
        raise ParseError(t.month_in_future(t.month_label(year, month)))
    if ago > MAX_MONTHS_BACK:
        raise ParseError(t.month_too_old(t.month_label(year, month), MAX_MONTHS_BACK))
    return month_value(year, month)


async def _filed_kinds(fctx: FormCtx) -> dict[str, int]:
    """Return the kinds already reported for the month (besides the report being amended)."""
    return await _kinds_in(fctx, *_month(fctx), except_id=fctx.params.get("report_id"))


async def _kind_prompt(fctx: FormCtx) -> str:
    """Ask the kind, saying which kinds the month already has."""
    filed = await _filed_kinds(fctx)
    return t.ask_kind(t.month_label(*_month(fctx)), [t.KIND_LABELS[k] for k in KINDS if k in filed])


async def _kind_options(fctx: FormCtx) -> list[Option]:
    """Offer the kinds not yet reported for the month."""
    filed = await _filed_kinds(fctx)
    return [Option(t.KIND_LABELS[k], k) for k in KINDS if k not in filed]


async def _parse_kind(fctx: FormCtx, text: str) -> str:
    """Name the kind typed, refusing one already reported for the month."""
    kind = KINDS[match_choice(text, [t.KIND_LABELS[k] for k in KINDS])]
    filed = await _filed_kinds(fctx)
    if kind in filed:
        raise ParseError(
            t.kind_taken(t.KIND_LABELS[kind], t.month_label(*_month(fctx)), report_code(filed[kind]))
        )
    return kind


async def _parse_day(fctx: FormCtx, text: str) -> str:
    """Accept a meeting day within the report's month and not in the future."""
    today = fctx.ctx.today
    year, month = _month(fctx)
    day = parse_date(text, today)
    # "5/12" typed in January about December means last year's December.
    if (day.year, day.month) != (year, month) and year != today.year and any(ch.isdecimal() for ch in text):
        alternative = parse_date(text, date(year, month, 1))
        if (alternative.year, alternative.month) == (year, month):
            day = alternative
    if (day.year, day.month) != (year, month):
        raise ParseError(t.date_not_in_month(fmt_date(day), t.month_label(year, month)))
    if day > today:
        raise ParseError(t.date_in_future(fmt_date(day)))
    return day.isoformat()


async def _parse_start(fctx: FormCtx, text: str) -> str:
    """Accept a clock time as HH:MM."""
    return parse_time(text).strftime("%H:%M")


async def _parse_end(fctx: FormCtx, text: str) -> str:
    """Accept a clock time after the start time."""
    end = await _parse_start(fctx, text)
    start = fctx.draft["start_time"]
    if duration_minutes(start, end) <= 0:
        raise ParseError(t.end_before_start(end, start))
    return end


def _short_by(fctx: FormCtx) -> int | None:
    """Return the guidance's minimum length when the meeting was shorter, else None."""
    start, end = fctx.draft.get("start_time"), fctx.draft.get("end_time")
    if not start or not end:
        return None
    minimum = minimum_minutes(fctx.draft.get("kind", ""))
    return minimum if duration_minutes(start, end) < minimum else None


async def _has_start(fctx: FormCtx) -> bool:
    """Tell whether a start time was given, so an end time can be asked."""
    return bool(fctx.draft.get("start_time"))


async def _show_end(fctx: FormCtx, value: str) -> str:
    """Show the end time with the meeting's length, flagged when shorter than the guidance asks."""
    start = fctx.draft.get("start_time")
    if not start:
        return value
    return t.show_end(value, duration_minutes(start, value), _short_by(fctx))


async def _absent_prompt(fctx: FormCtx) -> str:
    """Show the roster counts and numbered list, and ask who was absent."""
    roster = await _roster(fctx)
    lines = [
        t.excused_line(n, m.full_name) if m.excused else t.roster_line(n, m.full_name)
        for n, m in enumerate(roster.members, start=1)
    ]
    return t.ask_absent(roster.total, len(roster.excused), len(roster.expected), lines)


async def _parse_absent(fctx: FormCtx, text: str) -> Answers:
    """Turn roster numbers ("2, 5, 7") or «không ai» into the absent members' ids.

    Numbers off the roster are asked about again, keeping those on it ("5, 31, 40" keeps 5). A
    chair or minute taker given earlier (kept from last month) who is absent, or not expected that
    day, is forgotten so that the question is asked.
    """
    roster = await _roster(fctx)
    kept: list[int] = fctx.partial or []
    numbers: list[int] = []
    if not is_none_answer(text) or kept:
        try:
            typed = [] if is_none_answer(text) else parse_number_list(text, roster.total)
        except NumbersPartlyOutOfRange as error:
            valid = sorted({*kept, *error.valid})
            names = [t.roster_line(n, roster.members[n - 1].full_name) for n in valid]
            raise PartialAnswer(valid, t.absent_partly_read(names, error.invalid, roster.total)) from None
        numbers = sorted({*kept, *typed})
    absent = _absent_ids(roster, numbers) if numbers else []
    present = roster.ids() - set(absent)
    forget = tuple(k for k in ("chair", "minutes") if k in fctx.draft and fctx.draft[k] not in present)
    return Answers(absent, forget=forget)


def _absent_ids(roster: Roster, numbers: list[int]) -> list[int]:
    """Return the ids of the members whose roster numbers are typed, refusing the excused."""
    if len(numbers) > MAX_ABSENT:
        raise ParseError(t.too_many_absent(MAX_ABSENT))
    excused = [roster.members[n - 1].full_name for n in numbers if roster.members[n - 1].excused]
    if excused:
        raise ParseError(t.excused_not_absent(excused))
    if len(numbers) == len(roster.expected):
        raise ParseError(t.nobody_present())
    return [roster.members[n - 1].id for n in numbers]


def _attendance(roster: Roster, absent: list[int], reasons: dict[int, str]) -> Attendance:
    """Count a roster's attendance from the absentees and their reasons."""
    without = sum(1 for member_id in absent if not reasons.get(member_id))
    return Attendance(roster.total, len(roster.excused), len(absent) - without, without)


async def _show_absent(fctx: FormCtx, value: list[int]) -> str:
    """Show the absentees by name with the attendance they leave."""
    roster = await _roster(fctx)
    known = [member_id for member_id in value if member_id in roster.ids()]
    counts = _attendance(roster, known, {})
    return t.show_absent(
        [roster.name(i) for i in known], counts.present, counts.expected, t.rate(counts.rate)
    )


def _absent(fctx: FormCtx) -> list[int]:
    """Return the ids of the absent members answered so far."""
    return fctx.draft.get("absent") or []


async def _absentees(fctx: FormCtx) -> list[int]:
    """Return the absent members, one reason asked for each."""
    return _absent(fctx)


async def _reason_prompt(fctx: FormCtx) -> str:
    """Name the absent member and ask the reason."""
    roster = await _roster(fctx)
    item = fctx.item
    return t.ask_reason(roster.name(item.value), roster.number(item.value), item.index + 1, item.count)


async def _parse_reason(fctx: FormCtx, text: str) -> str:
    """Accept a reason in words, or «không» for no reason; «không ai» answers another question."""
    if is_nobody_answer(text):
        roster = await _roster(fctx)
        raise ParseError(t.reason_not_nobody(roster.name(fctx.item.value), text.strip()))
    if is_none_answer(text):
        return ""
    if not any(ch.isalpha() for ch in text):
        raise ParseError(t.REASON_NEEDS_WORDS)
    return text


async def _show_reason(fctx: FormCtx, value: str) -> str:
    """Show the member and their reason."""
    member_id = fctx.item.value
    roster = await _roster(fctx)
    name = roster.name(member_id) if member_id in roster.ids() else str(member_id)
    return t.show_reason(name, value)


def _reasons(fctx: FormCtx) -> dict[int, str]:
    """Return the reason of each absent member ("" when absent without reason)."""
    given = fctx.draft.get("reasons") or []
    return {member_id: given[i] if i < len(given) else "" for i, member_id in enumerate(_absent(fctx))}


async def _present_lines(fctx: FormCtx) -> list[str]:
    """List the members present, under their roster numbers."""
    roster = await _roster(fctx)
    absent = set(_absent(fctx))
    return [
        t.roster_line(n, m.full_name)
        for n, m in enumerate(roster.members, start=1)
        if not m.excused and m.id not in absent
    ]


async def _chair_prompt(fctx: FormCtx) -> str:
    """Ask who chaired."""
    return t.ask_chair(await _present_lines(fctx))


async def _minutes_prompt(fctx: FormCtx) -> str:
    """Ask who took the minutes."""
    return t.ask_minutes(await _present_lines(fctx))


async def _absent_again(fctx: FormCtx) -> str:
    """Ask who was absent in one line."""
    return t.ask_absent_again((await _roster(fctx)).total)


async def _chair_again(fctx: FormCtx) -> str:
    """Ask who chaired in one line."""
    return t.ask_present_again(t.CHAIR_ROLE, (await _roster(fctx)).total)


async def _minutes_again(fctx: FormCtx) -> str:
    """Ask who took the minutes in one line."""
    return t.ask_present_again(t.MINUTES_ROLE, (await _roster(fctx)).total)


async def _parse_present(fctx: FormCtx, text: str) -> int:
    """Pick a present member by roster number or by name."""
    roster = await _roster(fctx)
    if is_number(normalize(text)):
        number = int(normalize(text))
        member = roster.members[number - 1] if 1 <= number <= roster.total else None
    else:
        member = member_named(roster.members, text)
    if member is None:
        raise ParseError(t.member_not_listed(roster.total))
    if member.excused:
        raise ParseError(t.excused_cannot_lead(member.full_name))
    if member.id in _absent(fctx):
        raise ParseError(t.member_was_absent(member.full_name))
    return member.id


async def _parse_minutes(fctx: FormCtx, text: str) -> int:
    """Pick the minute taker: present, and not the chair."""
    member_id = await _parse_present(fctx, text)
    if member_id == fctx.draft.get("chair"):
        raise ParseError(t.same_as_chair((await _roster(fctx)).name(member_id)))
    return member_id


async def _show_member(fctx: FormCtx, value: int) -> str:
    """Show a member by name, from the meeting day's roster the form has read already."""
    roster = await _roster(fctx)
    if any(m.id == value for m in roster.members):
        return roster.name(value)
    return (await org.get_member(fctx.ctx.conn, value)).full_name


async def _thematic_note(fctx: FormCtx) -> str | None:
    """Say where the quarter's thematic meeting is, or None when it has none yet."""
    if fctx.draft.get("kind") in THEMATIC_KINDS:
        return t.THEMATIC_THIS_MEETING
    year, month = _month(fctx)
    first_month = quarter_of(month) * 3 - 2
    months, cell_id, except_id = (
        range(first_month, first_month + 3),
        cell_id_of(fctx),
        fctx.params.get("report_id"),
    )
    filed = await fctx.once(
        ("quarter kinds", cell_id, year, first_month, except_id),
        lambda: reports.kinds_filed_in_months(fctx.ctx.conn, cell_id, year, months, except_id=except_id),
    )
    return next((t.thematic_in(t.month_label(year, m)) for m in months if THEMATIC_KINDS & filed[m]), None)


async def _quality_prompt(fctx: FormCtx) -> str:
    """Show the computed indicators and ask the self-assessment."""
    roster = await _roster(fctx)
    reasons = _reasons(fctx)
    counts = _attendance(roster, _absent(fctx), reasons)
    without = [roster.name(i) for i in _absent(fctx) if not reasons.get(i)]
    year, month = _month(fctx)
    start, end = fctx.draft.get("start_time"), fctx.draft.get("end_time")
    length = None
    if start and end:
        length = t.length_line(duration_minutes(start, end), minimum_minutes(fctx.draft["kind"]))
    return t.indicators(
        counts.present,
        counts.expected,
        t.rate(counts.rate),
        without,
        t.quarter_label(year, quarter_of(month)),
        await _thematic_note(fctx),
        counts.meets_good_quality,
        length,
    )


async def _show_month(fctx: FormCtx, value: str) -> str:
    """Show a stored month as m/yyyy."""
    return fmt_month(*month_of(value))


async def _show_kind(fctx: FormCtx, value: str) -> str:
    """Show a meeting kind by its name."""
    return t.KIND_LABELS[value]


async def _is_thematic(fctx: FormCtx) -> bool:
    """Tell whether the meeting answered is a thematic one."""
    return fctx.draft.get("kind") in THEMATIC_KINDS


async def _report_theme(fctx: FormCtx) -> YearTheme:
    """Return the directive, theme and wording of the report's year for the cell's committee."""
    cell_id = cell_id_of(fctx)
    # The sender leads the cell, so their role names its committee without reading the cell.
    grant = next((g for g in fctx.ctx.me.grants if g.cell_id == cell_id), None)
    if grant is not None:
        committee_id = grant.committee_id
    else:
        committee_id = (
            await fctx.once(("cell", cell_id), lambda: org.get_cell(fctx.ctx.conn, cell_id))
        ).committee_id
    return await year_theme(fctx, committee_id, _month(fctx)[0])


async def _topic_prompt(fctx: FormCtx) -> str:
    """Ask the topic, the year's theme as the example."""
    return t.ask_topic((await _report_theme(fctx)).theme)


async def _study_prompt(fctx: FormCtx) -> str:
    """Ask what was studied, in the wording of the year's directive."""
    return t.ask_study((await _report_theme(fctx)).wording)


async def _date_prompt(fctx: FormCtx) -> str:
    """Ask the meeting day within the report's month, an example that has come and lies in it."""
    year, month = _month(fctx)
    yesterday = fctx.ctx.today - timedelta(days=1)
    first, last = month_days(year, month)
    example = max(first, min(last, yesterday, first + timedelta(days=4)))
    in_month = (yesterday.year, yesterday.month) == (year, month)
    return t.ask_date(year, month, fmt_date(example), in_month)


def _voters(roster: Roster, absent: list[int]) -> int:
    """Count the full members present, who vote on the resolution."""
    gone = set(absent)
    return sum(1 for m in roster.expected if m.id not in gone and m.status == FULL_MEMBER)


async def _vote_prompt(fctx: FormCtx) -> str:
    """Ask the vote on the resolution, saying how many may vote."""
    return t.ask_vote(_voters(await _roster(fctx), _absent(fctx)))


async def _vote_options(fctx: FormCtx) -> list[Option]:
    """Offer the unanimous vote."""
    voters = _voters(await _roster(fctx), _absent(fctx))
    return [Option(t.unanimous(voters), f"{voters}/0")]


async def _parse_vote(fctx: FormCtx, text: str) -> str:
    """Read the votes for and against ("26/0", "25 1", "25 tán thành, 1 không"), at most the voters."""
    numbers = [int(n) for n in _NUMBER.findall(text)]
    if not 1 <= len(numbers) <= 2:
        raise ParseError(t.VOTE_UNREADABLE)
    votes_for, votes_against = numbers[0], numbers[1] if len(numbers) == 2 else 0
    voters = _voters(await _roster(fctx), _absent(fctx))
    if votes_for + votes_against > voters:
        raise ParseError(t.too_many_votes(votes_for + votes_against, voters))
    return f"{votes_for}/{votes_against}"


async def _show_vote(fctx: FormCtx, value: str) -> str:
    """Show the vote against the number of voters."""
    votes_for, votes_against = (int(n) for n in value.split("/"))
    return t.show_vote(votes_for, votes_against, _voters(await _roster(fctx), _absent(fctx)))


async def _has_usual(fctx: FormCtx) -> bool:
    """Tell whether the cell has an earlier report whose details can be kept."""
    return fctx.params.get("last_report") is not None


async def _usual(fctx: FormCtx, year: int, month: int) -> Usual:
    """Return the details of the cell's last report, and whether (year, month) lacks a regular one."""
    report_id = int(fctx.params["last_report"])
    return await fctx.once(
        ("usual", report_id, year, month), lambda: reports.usual_of(fctx.ctx.conn, report_id, year, month)
    )


async def _kept(fctx: FormCtx, year: int, month: int, day: str | None = None) -> Answers:
    """Return «Như tháng trước» as answers: the last report's details, and the month and kind."""
    usual = await _usual(fctx, year, month)
    others: dict[str, object] = {
        "start_time": usual.start_time,
        "end_time": usual.end_time if usual.start_time else None,
        "place": usual.place,
        "guests": usual.guests,
        "chair": usual.chair_member_id,
        "minutes": usual.minutes_member_id,
    }
    # A typed meeting day names its month; otherwise the month is filled only when not chosen yet.
    if day is not None or "month" not in fctx.draft:
        others["month"] = month_value(year, month)
    if "kind" not in fctx.draft and usual.regular_free:
        others["kind"] = REGULAR
    if day is not None:
        others["date"] = day
    return Answers(SAME, others)


async def _usual_prompt(fctx: FormCtx) -> str:
    """Show the last report's details and offer to keep them."""
    year, month = (await _month_choices(fctx))[0]
    usual = await _usual(fctx, year, month)
    return t.ask_usual(
        t.month_label(usual.year, usual.month),
        year,
        month,
        t.hours(usual.start_time, usual.end_time),
        usual.place,
        usual.guests,
        usual.chair_name,
        usual.minutes_name,
        usual.regular_free,
    )


USUAL_OPTIONS = (Option(t.USUAL_SAME, SAME), Option(t.USUAL_NEW, NEW))


async def _expand_usual(fctx: FormCtx, value: str) -> Answers:
    """Keep the last report's details for the usual month, or forget them to ask each one."""
    if value == NEW:
        return Answers(NEW, forget=USUAL_DETAILS)
    return await _kept(fctx, *(await _month_choices(fctx))[0])


async def _parse_usual(fctx: FormCtx, text: str) -> Answers:
    """Read a meeting day typed here as «Như tháng trước» for that day's month."""
    try:
        day = parse_date(text, fctx.ctx.today)
    except ParseError:
        raise ParseError(t.USUAL_UNREADABLE) from None
    _checked_month(fctx, day.year, day.month)
    if day > fctx.ctx.today:
        raise ParseError(t.date_in_future(fmt_date(day)))
    return await _kept(fctx, day.year, day.month, day.isoformat())


async def _show_usual(fctx: FormCtx, value: str) -> str:
    """Show whether the last report's details were kept."""
    usual = await _usual(fctx, *(_month(fctx) if "month" in fctx.draft else (await _month_choices(fctx))[0]))
    return t.show_usual(value == SAME, t.month_label(usual.year, usual.month))


STEPS = (
    Step(
        key="usual",
        label=t.LABEL_USUAL,
        prompt=_usual_prompt,
        options=USUAL_OPTIONS,
        parse=_parse_usual,
        expand=_expand_usual,
        show=_show_usual,
        when=_has_usual,
    ),
    Step(
        key="month",
        label=t.LABEL_MONTH,
        prompt=_month_prompt,
        options=_month_options,
        parse=_parse_month,
        show=_show_month,
    ),
    Step(
        key="kind",
        label=t.LABEL_KIND,
        prompt=_kind_prompt,
        options=_kind_options,
        parse=_parse_kind,
        show=_show_kind,
    ),
    Step(
        key="topic",
        label=t.LABEL_TOPIC,
        prompt=_topic_prompt,
        parse=parse_words,
        when=_is_thematic,
        depends_on=("kind",),
        max_length=500,
    ),
    Step(
        key="date",
        label=t.LABEL_DATE,
        prompt=_date_prompt,
        parse=_parse_day,
        show=show_date,
        depends_on=("month",),
    ),
    Step(key="start_time", label=t.LABEL_TIME, prompt=t.ASK_TIME, parse=_parse_start, optional=True),
    Step(
        key="end_time",
        label=t.LABEL_END_TIME,
        prompt=t.ASK_END_TIME,
        parse=_parse_end,
        show=_show_end,
        optional=True,
        when=_has_start,
        depends_on=("start_time",),
    ),
    Step(
        key="place",
        label=t.LABEL_PLACE,
        prompt=t.ASK_PLACE,
        parse=parse_words,
        optional=True,
        max_length=300,
    ),
    Step(
        key="absent",
        label=t.LABEL_ABSENT,
        prompt=_absent_prompt,
        parse=_parse_absent,
        show=_show_absent,
        reprompt=_absent_again,
        listed=_roster_ids,
    ),
    Step(
        key="reasons",
        label=t.LABEL_REASON,
        prompt=_reason_prompt,
        parse=_parse_reason,
        options=(*(Option(r, r) for r in t.REASON_CHOICES), Option(t.NO_REASON, "")),
        show=_show_reason,
        each=_absentees,
        depends_on=("absent",),
        max_length=300,
    ),
    Step(
        key="chair",
        label=t.LABEL_CHAIR,
        prompt=_chair_prompt,
        parse=_parse_present,
        show=_show_member,
        reprompt=_chair_again,
        listed=_roster_ids,
    ),
    Step(
        key="minutes",
        label=t.LABEL_MINUTES,
        prompt=_minutes_prompt,
        parse=_parse_minutes,
        show=_show_member,
        reprompt=_minutes_again,
        listed=_roster_ids,
    ),
    Step(
        key="guests",
        label=t.LABEL_GUESTS,
        prompt=t.ASK_GUESTS,
        parse=parse_words,
        optional=True,
        max_length=500,
    ),
    Step(key="study", label=t.LABEL_STUDY, prompt=_study_prompt, parse=parse_words, optional=True),
    Step(key="documents", label=t.LABEL_DOCUMENTS, prompt=t.ASK_DOCUMENTS, parse=parse_words, optional=True),
    Step(
        key="review",
        label=t.LABEL_REVIEW,
        prompt=t.ASK_REVIEW,
        parse=required_words(t.required(t.LABEL_REVIEW)),
    ),
    Step(
        key="resolution",
        label=t.LABEL_RESOLUTION,
        prompt=t.ASK_RESOLUTION,
        parse=required_words(t.required(t.LABEL_RESOLUTION)),
    ),
    Step(
        key="vote",
        label=t.LABEL_VOTE,
        prompt=_vote_prompt,
        options=_vote_options,
        parse=_parse_vote,
        show=_show_vote,
        optional=True,
        depends_on=("absent",),
    ),
    Step(
        key="quality",
        label=t.LABEL_QUALITY,
        prompt=_quality_prompt,
        options=tuple(Option(label, value) for value, label in t.QUALITY_LABELS.items()),
    ),
)


async def content_of(fctx: FormCtx) -> ReportContent:
    """Build the report from the answers, checking them against the roster of the meeting day."""
    draft = fctx.draft
    year, month = _month(fctx)
    day = _day(fctx)
    if (day.year, day.month) != (year, month):
        raise FormError("date", t.date_not_in_month(fmt_date(day), t.month_label(year, month)))
    filed = await _filed_kinds(fctx)
    if draft["kind"] in filed:
        kind = t.KIND_LABELS[draft["kind"]]
        raise FormError(
            "kind", t.kind_taken(kind, t.month_label(year, month), report_code(filed[draft["kind"]]))
        )
    roster = await load_roster(fctx.ctx.conn, cell_id_of(fctx), day)
    absent = _absent(fctx)
    if not set(absent) <= roster.ids() or len(absent) == len(roster.expected):
        raise FormError("absent", t.ROSTER_CHANGED)
    for key in ("chair", "minutes"):
        if draft[key] not in roster.ids():
            raise FormError(key, t.NOT_ON_ROSTER)
        if draft[key] in absent:
            raise FormError(key, t.member_was_absent(roster.name(draft[key])))
    if draft["chair"] == draft["minutes"]:
        raise FormError("minutes", t.same_as_chair(roster.name(draft["chair"])))
    votes_for = votes_against = voters = None
    if draft.get("vote"):
        votes_for, votes_against = (int(n) for n in draft["vote"].split("/"))
        voters = _voters(roster, absent)
        if votes_for + votes_against > voters:
            raise FormError("vote", t.too_many_votes(votes_for + votes_against, voters))
    start = draft.get("start_time")
    end = draft.get("end_time") if start else None
    if start and end and duration_minutes(start, end) <= 0:
        raise FormError("end_time", t.end_before_start(end, start))
    reasons = _reasons(fctx)
    attendance = [AttendanceEntry(m.id, EXCUSED) for m in roster.excused] + [
        AttendanceEntry(
            m.id, member_status(False, m.id in reasons, reasons.get(m.id)), reasons.get(m.id) or None
        )
        for m in roster.expected
    ]
    return ReportContent(
        year=year,
        month=month,
        kind=draft["kind"],
        meeting_date=day,
        start_time=start,
        place=draft.get("place"),
        topic=draft.get("topic") if draft["kind"] in THEMATIC_KINDS else None,
        chair_member_id=draft["chair"],
        minutes_member_id=draft["minutes"],
        study=draft.get("study"),
        documents=draft.get("documents"),
        review=draft["review"],
        resolution=draft["resolution"],
        quality=draft["quality"],
        attendance=tuple(sorted(attendance, key=lambda e: e.member_id)),
        end_time=end,
        guests=draft.get("guests"),
        vote_for=votes_for,
        vote_against=votes_against,
        vote_total=voters,
    )


async def check_leader(fctx: FormCtx) -> None:
    """Refuse a submit from someone who no longer leads the cell."""
    if not fctx.ctx.me.can_edit_cell(cell_id_of(fctx)):
        raise FormError("month", t.NOT_YOUR_CELL)


async def notify_committee(ctx: Ctx, cell_id: int, report_id: int, revision: int, text: str) -> int:
    """Plan the notice of a report's revision to every committee member; return how many."""
    cell = await org.get_cell(ctx.conn, cell_id)
    people = [person_id for person_id, _ in await accounts.committee_people(ctx.conn, cell.committee_id)]
    await ctx.notify(people, Outbound(text), kind="report_submitted", key=f"{report_id}:{revision}")
    return len(people)


async def _file(fctx: FormCtx) -> list[Outbound]:
    """File a new report, mark it late after the deadline, and tell the committee."""
    ctx = fctx.ctx
    await check_leader(fctx)
    content = await content_of(fctx)
    cell_id = cell_id_of(fctx)
    deadline = await deadline_of(ctx.conn, cell_id, content.year, content.month)
    late = ctx.today > deadline
    report_id = await reports.create_report(
        ctx.conn,
        cell_id,
        content,
        late=late,
        now=ctx.now,
        person_id=ctx.me.person_id,
        account_id=ctx.me.account_id,
    )
    await ctx.audit("meeting_report", report_id, "submitted", {"revision": 1, "late": late})
    report = await reports.get_report(ctx.conn, report_id)
    if report is None:
        raise LookupError("report vanished right after filing it")
    code, month = report_code(report_id), t.month_label(content.year, content.month)
    kind, counts = t.KIND_LABELS[content.kind], content.counts
    cell = await org.get_cell(ctx.conn, cell_id)
    notice = t.notice_submitted(
        cell.name,
        code,
        month,
        kind,
        fmt_date(content.meeting_date),
        counts.present,
        counts.expected,
        t.rate(counts.rate),
        [report.names[e.member_id] for e in report.absent(ABSENT_WITHOUT_REASON)],
        t.QUALITY_LABELS[content.quality],
        late,
    )
    notified = await notify_committee(ctx, cell_id, report_id, 1, notice)
    return [
        Outbound(t.submitted(code, month, kind, late, fmt_date(deadline), notified, ctx.notices_held_until))
    ]


async def _report_intro(fctx: FormCtx) -> str:
    """Name the cell the report is for."""
    return t.report_intro((await org.get_cell(fctx.ctx.conn, cell_id_of(fctx))).name)


REPORT_FORM = Form(
    name="report", title=t.REPORT_TITLE, command="baocao", steps=STEPS, submit=_file, intro=_report_intro
)


async def file_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Open the report form for the sender's cell."""
    cell = ctx.me.led_cell
    if cell is None or cell.cell_id is None:
        return [Outbound(t.no_cell())]
    params: dict[str, object] = {"cell_id": cell.cell_id}
    last = await reports.last_report_id(ctx.conn, cell.cell_id)
    if last is not None:
        params["last_report"] = last
    return await ctx.flows.start(ctx, "report", params)


COMMANDS = [
    Command("baocao", file_command, LEADERS, help=t.HELP_FILE, aliases=("bao cao",), starts_flow=True),
]
FORMS = [REPORT_FORM]
