"""/dangky, /capnhat, /danhgia: register pledge items, record their progress, review members."""

from __future__ import annotations

from datetime import date, timedelta

from core.commands import CELL_MEMBERS, LEADERS, Command
from core.context import Ctx
from core.forms import (
    Answers,
    Form,
    FormCtx,
    FormError,
    Parser,
    Step,
    required_words,
    show_date,
    without_param,
)
from core.messages import Option, Outbound
from core.parsing import ParseError, parse_coming_date, parse_int
from core.refusal import Refusal
from domain.clock import fmt_date
from domain.pledges import (
    MID_YEAR,
    STATUSES,
    YEAR_END,
    ItemOutcome,
    Problem,
    check_item,
    is_vague_only,
    propose_ranking,
    review_due,
    standing,
    taken_from_action,
    vague_phrases_in,
)
from handlers.access import cell_for_leader, member_in_reach, resolve_member, visible_cell
from handlers.members import item_fields
from storage import org, pledges
from storage.org import Member
from storage.pledges import NewItem
from texts import pledges as t

SAVE_MORE, SAVE_DONE, EDIT, EDIT_TAKEN = "save_more", "save_done", "edit", "edit_taken"
# Where the steps read from the action are kept, so that a changed action takes them back.
TAKEN = "taken"
# Next year's pledges are registered after the year-end review; before November the year is this one.
NEXT_YEAR_FROM_MONTH = 11
ITEM_STEPS = ("action", "duty", "indicator", "deadline", "milestones", "evidence")
# Which answer to reopen for each problem, in the order the form asks them.
PROBLEM_STEPS = {
    Problem.VAGUE_ACTION: "action",
    Problem.NO_INDICATOR: "indicator",
    Problem.UNMEASURABLE_INDICATOR: "indicator",
    Problem.NO_DEADLINE: "deadline",
    Problem.NO_EVIDENCE: "evidence",
}
FIRST_YEAR = 2011


async def _start_for_member(ctx: Ctx, form: str, params: dict) -> list[Outbound] | None:
    """Open a form for the leader's cell, or for the sender's own roster entry; None if neither."""
    cell = await cell_for_leader(ctx)
    if cell is not None:
        return await ctx.flows.start(ctx, form, {**params, "cell_id": cell.id})
    if ctx.me.member_id is not None:
        member = await org.get_member(ctx.conn, ctx.me.member_id)
        return await ctx.flows.start(ctx, form, {**params, "cell_id": member.cell_id, "member_id": member.id})
    return None


async def pledge_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Open pledge registration."""
    return await _start_for_member(ctx, "pledge", {}) or [Outbound(t.not_in_cell())]


async def progress_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Open a progress update for this year's pledge."""
    if (await cell_for_leader(ctx)) is None and ctx.me.member_id is not None:
        member = await org.get_member(ctx.conn, ctx.me.member_id)
        if not await pledges.member_items(ctx.conn, member.id, ctx.today.year):
            return [Outbound(t.no_pledge_message(member.full_name, ctx.today.year))]
    return await _start_for_member(ctx, "progress", {"year": ctx.today.year}) or [Outbound(t.not_in_cell())]


async def review_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Open the review of the cell's members, in the season's kind when it is one."""
    cell = await cell_for_leader(ctx)
    if cell is None:
        return [Outbound(t.leaders_only())]
    season = review_due(ctx.today)
    answers = {"kind": season} if season else {}
    return await ctx.flows.start(ctx, "review", {"cell_id": cell.id, "year": ctx.today.year}, answers)


# Shared steps: whose entry it is.


async def _member(fctx: FormCtx) -> Member:
    """Return the member the form is about, checked against the sender's reach."""
    member_id = fctx.params.get("member_id") or fctx.draft["member"]
    return await member_in_reach(fctx.ctx, int(member_id))


def _year(fctx: FormCtx) -> int:
    """Return the year the form is about: given, chosen, or this year when it was not asked."""
    return int(fctx.params.get("year") or fctx.draft.get("year") or fctx.ctx.today.year)


async def _year_asked(fctx: FormCtx) -> bool:
    """Ask the year only when next year's pledges may be due and the flow was not given one."""
    return "year" not in fctx.params and fctx.ctx.today.month >= NEXT_YEAR_FROM_MONTH


async def _cell_roster(fctx: FormCtx) -> list[Member]:
    """Return the current roster of the form's cell."""
    cell = await visible_cell(fctx.ctx, int(fctx.params["cell_id"]))
    return await org.list_members(fctx.ctx.conn, cell.id)


async def _roster_ids(fctx: FormCtx) -> list[int]:
    """Return the members a member question numbers, in their order."""
    return [m.id for m in await _cell_roster(fctx)]


async def _pick_member_prompt(fctx: FormCtx) -> str:
    """List the cell's members with their pledge state of the year."""
    cell = await visible_cell(fctx.ctx, int(fctx.params["cell_id"]))
    roster = await org.list_members(fctx.ctx.conn, cell.id)
    year = fctx.params.get("year") or fctx.ctx.today.year
    items = await pledges.items_by_member(fctx.ctx.conn, [m.id for m in roster], year)
    lines = [
        t.member_list_line(n, m.full_name, len(items[m.id]), sum(i.vague for i in items[m.id]))
        for n, m in enumerate(roster, start=1)
    ]
    return t.pick_member(cell.name, year, lines)


async def _parse_member(fctx: FormCtx, text: str) -> int:
    """Pick a member of the cell by number or name."""
    return resolve_member(await _cell_roster(fctx), text).id


async def _show_member(fctx: FormCtx, member_id: int) -> str:
    """Name the chosen member."""
    return (await org.get_member(fctx.ctx.conn, member_id)).full_name


def _member_step(parse: Parser = _parse_member) -> Step:
    """Return the step that picks a member, skipped when the form is for one already."""
    return Step(
        "member",
        t.LABEL_MEMBER,
        _pick_member_prompt,
        parse=parse,
        show=_show_member,
        when=without_param("member_id"),
        reprompt=t.ASK_MEMBER_AGAIN,
        listed=_roster_ids,
    )


def _on_behalf(ctx: Ctx, member_id: int) -> int | None:
    """Return the member an entry is made for when it is not the sender's own."""
    return None if ctx.me.member_id == member_id else member_id


# /dangky: one item per round; saving opens the next round for the same member and year.


async def _year_options(fctx: FormCtx) -> list[Option]:
    """Offer this year and the next."""
    year = fctx.ctx.today.year
    return [Option(str(y), str(y)) for y in (year, year + 1)]


async def _parse_year(fctx: FormCtx, text: str) -> str:
    """Accept a year from 2011 to next year."""
    high = fctx.ctx.today.year + 1
    try:
        return str(parse_int(text, minimum=FIRST_YEAR, maximum=high))
    except ParseError:
        raise ParseError(t.year_out_of_range(FIRST_YEAR, high)) from None


async def _action_prompt(fctx: FormCtx) -> str:
    """Say whose pledge, the year's theme, and ask for the next item's action."""
    member = await _member(fctx)
    year = _year(fctx)
    cell = await org.get_cell(fctx.ctx.conn, member.cell_id)
    theme = await org.get_year_theme(fctx.ctx.conn, cell.committee_id, year)
    count = len(await pledges.member_items(fctx.ctx.conn, member.id, year))
    return t.action_prompt(
        member.full_name,
        year,
        theme.wording if theme else None,
        theme.theme if theme else None,
        theme.directive if theme else None,
        count,
    )


async def _deadline_prompt(fctx: FormCtx) -> str:
    """Ask the deadline, the end of the pledge year as the example."""
    return t.ask_deadline(_year(fctx))


async def _parse_deadline(fctx: FormCtx, text: str) -> str:
    """Accept a deadline within the pledge year or the next, and not passed when the year is not."""
    year, today = _year(fctx), fctx.ctx.today
    # A date typed without its year belongs to the pledge's year, or comes next when this year's has
    # passed: «15/9» typed in December is next September.
    day = parse_coming_date(text, today if year == today.year else date(year, 1, 1))
    if day.year not in (year, year + 1):
        raise ParseError(t.deadline_out_of_year(year))
    # Entering an earlier year's pledge after the fact may name deadlines long gone.
    if day < today and year >= today.year:
        raise ParseError(t.deadline_passed(fmt_date(day), fmt_date(today)))
    return day.isoformat()


async def _parse_action(fctx: FormCtx, text: str) -> Answers:
    """Take the action, with the indicator and deadline it already names so they are not asked."""
    found = taken_from_action(text)
    earlier = tuple(fctx.draft.get(TAKEN) or ())
    typed = [key for key in ("indicator", "deadline") if key in fctx.draft and key not in earlier]
    untaken = Answers(text, forget=(*earlier, TAKEN))
    if found is None or typed:
        return untaken
    try:
        deadline = await _parse_deadline(fctx, found.deadline)
    except ParseError:
        return untaken
    taken = {"indicator": found.indicator, "deadline": deadline}
    return Answers(text, {**taken, TAKEN: list(taken)})


async def _duty_prompt(fctx: FormCtx) -> str:
    """Ask the duty, first saying what the action lacks or what was read from it."""
    action = fctx.draft.get("action") or ""
    notes = []
    if is_vague_only(action):
        notes.append(t.action_vague_now(vague_phrases_in(action)))
    if fctx.draft.get(TAKEN):
        notes.append(t.taken(fctx.draft["indicator"], fmt_date(date.fromisoformat(fctx.draft["deadline"]))))
    return "\n\n".join([*notes, t.ASK_DUTY])


def _new_item(draft: dict) -> NewItem:
    """Build the item the draft describes."""
    return NewItem(
        action=draft["action"],
        duty=draft["duty"],
        indicator=draft.get("indicator"),
        deadline=date.fromisoformat(draft["deadline"]) if draft.get("deadline") else None,
        milestones=draft.get("milestones"),
        evidence=draft.get("evidence"),
    )


def _hints(draft: dict) -> tuple[list[Problem], list[str]]:
    """Check the drafted item and return its problems with their hints."""
    item = _new_item(draft)
    result = check_item(item.action, item.indicator, item.deadline, item.evidence)
    return list(result.problems), [t.hint(p, result.vague_phrases) for p in result.problems]


async def _verdict_prompt(fctx: FormCtx) -> str:
    """Tell whether the item is specific, or what to add; recall what was read from the action."""
    problems, hints = _hints(fctx.draft)
    verdict = t.verdict_vague(hints) if problems else t.verdict_specific()
    if not fctx.draft.get(TAKEN):
        return verdict
    deadline = fmt_date(date.fromisoformat(fctx.draft["deadline"]))
    return f"{t.taken(fctx.draft['indicator'], deadline)}\n\n{verdict}"


async def _verdict_options(fctx: FormCtx) -> list[Option]:
    """Offer to save, or to fix or knowingly keep a vague item."""
    problems, _ = _hints(fctx.draft)
    if problems:
        return [
            Option(t.EDIT, EDIT),
            Option(t.KEEP_VAGUE_MORE, SAVE_MORE),
            Option(t.KEEP_VAGUE_DONE, SAVE_DONE),
        ]
    options = [Option(t.SAVE_MORE, SAVE_MORE), Option(t.SAVE_DONE, SAVE_DONE)]
    if fctx.draft.get(TAKEN):
        options.append(Option(t.EDIT_TAKEN, EDIT_TAKEN))
    return options


async def _save_item(fctx: FormCtx) -> list[Outbound]:
    """Save the item as it stands (flagged when vague), or send the user back to fix it."""
    ctx, draft = fctx.ctx, fctx.draft
    problems, hints = _hints(draft)
    if draft["verdict"] == EDIT:
        # Forget the choice so that the check runs again on the corrected item.
        del draft["verdict"]
        raise FormError(PROBLEM_STEPS[problems[0]], t.fix_reason(hints))
    if draft["verdict"] == EDIT_TAKEN:
        # Both are asked again and no longer follow the action.
        for key in ("verdict", "deadline", TAKEN):
            draft.pop(key, None)
        raise FormError("indicator", t.FIX_TAKEN)
    member = await _member(fctx)
    cell = await visible_cell(ctx, member.cell_id) if member.id != ctx.me.member_id else None
    if cell is not None and not ctx.me.can_edit_cell(cell.id):
        raise Refusal(t.LEADERS_ONLY_PLEDGE_FOR_OTHERS)
    year = _year(fctx)
    item_id = await pledges.add_item(
        ctx.conn,
        member_id=member.id,
        year=year,
        item=_new_item(draft),
        problems=[p.value for p in problems],
        today=ctx.today,
        now=ctx.now,
        person_id=ctx.me.person_id,
        on_behalf=_on_behalf(ctx, member.id) is not None,
    )
    await ctx.audit(
        "pledge_item",
        item_id,
        "registered",
        {"year": year, "vague": bool(problems), "problems": [p.value for p in problems]},
        on_behalf_of_member=_on_behalf(ctx, member.id),
    )
    items = await pledges.member_items(ctx.conn, member.id, year)
    saved = Outbound(t.item_saved(len(items), member.full_name, bool(problems)))
    if draft["verdict"] == SAVE_MORE:
        params = {"cell_id": member.cell_id, "member_id": member.id, "year": year}
        return [saved] + await ctx.flows.start(ctx, "pledge", params)
    return [saved, Outbound(t.pledge_done(member.full_name, year, len(items), sum(i.vague for i in items)))]


PLEDGE_FORM = Form(
    name="pledge",
    title=t.PLEDGE_TITLE,
    command="dangky",
    confirm=False,
    steps=(
        _member_step(),
        Step(
            "year",
            t.LABEL_YEAR,
            t.ASK_YEAR,
            options=_year_options,
            parse=_parse_year,
            when=_year_asked,
        ),
        Step(
            "action",
            t.LABEL_ACTION,
            _action_prompt,
            parse=_parse_action,
            max_length=500,
            depends_on=("member", "year"),
        ),
        Step("duty", t.LABEL_DUTY, _duty_prompt, parse=required_words(t.duty_required()), max_length=300),
        Step("indicator", t.LABEL_INDICATOR, t.ASK_INDICATOR, optional=True, max_length=300),
        Step(
            "deadline",
            t.LABEL_DEADLINE,
            _deadline_prompt,
            parse=_parse_deadline,
            show=show_date,
            optional=True,
            depends_on=("year",),
        ),
        Step("milestones", t.LABEL_MILESTONES, t.ASK_MILESTONES, optional=True, max_length=500),
        Step("evidence", t.LABEL_EVIDENCE, t.ASK_EVIDENCE, optional=True, max_length=300),
        Step("verdict", t.LABEL_VERDICT, _verdict_prompt, options=_verdict_options, depends_on=ITEM_STEPS),
    ),
    submit=_save_item,
)


# /capnhat: one item's progress, with a note and evidence.


async def _parse_pledged_member(fctx: FormCtx, text: str) -> int:
    """Pick a member who has a pledge this year."""
    member = resolve_member(await _cell_roster(fctx), text)
    if not await pledges.member_items(fctx.ctx.conn, member.id, _year(fctx)):
        raise ParseError(t.no_pledge(member.full_name, _year(fctx)))
    return member.id


async def _items(fctx: FormCtx) -> list[pledges.Item]:
    """Return the member's items of the year."""
    return await pledges.member_items(fctx.ctx.conn, (await _member(fctx)).id, _year(fctx))


async def _item_prompt(fctx: FormCtx) -> str:
    """List the member's items with their progress and ask which to update."""
    member = await _member(fctx)
    today = fctx.ctx.today
    lines = [t.item_line(*item_fields(item, today)) for item in await _items(fctx)]
    return t.pick_item(member.full_name, _year(fctx), lines)


async def _item_options(fctx: FormCtx) -> list[Option]:
    """Offer the member's items."""
    return [Option(t.item_option(i.action), str(i.id)) for i in await _items(fctx)]


async def _show_item(fctx: FormCtx, item_id: str) -> str:
    """Name the chosen item."""
    item = next(i for i in await _items(fctx) if str(i.id) == item_id)
    return t.item_shown(item.position, item.action)


async def _progress_evidence_prompt(fctx: FormCtx) -> str:
    """Ask the evidence, with a recent day in the example."""
    return t.ask_progress_evidence(fmt_date(fctx.ctx.today - timedelta(days=5)))


async def _parse_evidence(fctx: FormCtx, text: str) -> dict:
    """Take a photo or document sent in chat, or a written description, as evidence."""
    attachment = fctx.ctx.inbound.attachment
    if attachment is not None:
        return {
            "kind": attachment.kind,
            "ref": attachment.file_ref,
            "name": attachment.file_name,
            "text": text or None,
        }
    return {"kind": "text", "text": text}


async def _show_evidence(fctx: FormCtx, value: dict) -> str:
    """Describe the evidence given."""
    if value["kind"] == "photo":
        return t.evidence_photo()
    if value["kind"] == "document":
        return t.evidence_file(value.get("name"))
    return value["text"]


async def _save_progress(fctx: FormCtx) -> list[Outbound]:
    """Record the item's progress and keep it in the audit trail."""
    ctx, draft = fctx.ctx, fctx.draft
    member = await _member(fctx)
    if member.id != ctx.me.member_id and not ctx.me.can_edit_cell(member.cell_id):
        raise Refusal(t.LEADERS_ONLY_PROGRESS_FOR_OTHERS)
    item = next((i for i in await _items(fctx) if str(i.id) == draft["item"]), None)
    if item is None:
        raise FormError("item", t.ASK_STATUS)
    evidence = draft.get("evidence") or {}
    await pledges.add_update(
        ctx.conn,
        item_id=item.id,
        status=draft["status"],
        note=draft.get("note"),
        evidence_text=evidence.get("text"),
        evidence_kind=evidence.get("kind"),
        evidence_ref=evidence.get("ref"),
        evidence_name=evidence.get("name"),
        today=ctx.today,
        now=ctx.now,
        person_id=ctx.me.person_id,
    )
    await ctx.audit(
        "pledge_item",
        item.id,
        "progress",
        {"status": draft["status"], "evidence": evidence.get("kind")},
        on_behalf_of_member=_on_behalf(ctx, member.id),
    )
    return [Outbound(t.progress_saved(member.full_name, item.position, draft["status"]))]


PROGRESS_FORM = Form(
    name="progress",
    title=t.PROGRESS_TITLE,
    command="capnhat",
    steps=(
        _member_step(_parse_pledged_member),
        Step(
            "item", t.LABEL_ITEM, _item_prompt, options=_item_options, show=_show_item, depends_on=("member",)
        ),
        Step(
            "status",
            t.LABEL_STATUS,
            t.ASK_STATUS,
            options=tuple(Option(t.STATUS_CHOICES[s], s) for s in STATUSES),
        ),
        Step("note", t.LABEL_NOTE, t.ASK_NOTE, optional=True, max_length=1000),
        Step(
            "evidence",
            t.LABEL_EVIDENCE,
            _progress_evidence_prompt,
            parse=_parse_evidence,
            show=_show_evidence,
            optional=True,
            max_length=500,
        ),
    ),
    submit=_save_progress,
)


# /danhgia: the secretary goes through the members, one review each.


def _kind(fctx: FormCtx) -> str:
    """Return the review kind the form is about."""
    return fctx.params.get("kind") or fctx.draft["kind"]


async def _review_member_prompt(fctx: FormCtx) -> str:
    """List the members, marking those already reviewed."""
    cell = await visible_cell(fctx.ctx, int(fctx.params["cell_id"]))
    roster = await org.list_members(fctx.ctx.conn, cell.id)
    done = await pledges.reviews_by_member(fctx.ctx.conn, [m.id for m in roster], _year(fctx), _kind(fctx))
    lines = [t.review_member_line(n, m.full_name, m.id in done) for n, m in enumerate(roster, start=1)]
    return t.review_pick_member(_kind(fctx), _year(fctx), cell.name, lines, len(done), len(roster))


async def _assessment_prompt(fctx: FormCtx) -> str:
    """Show the member's results before asking for the assessment."""
    member = await _member(fctx)
    items = await _items(fctx)
    today = fctx.ctx.today
    figures = standing(items, today)
    lines = [t.item_line(*item_fields(item, today)) for item in items]
    return t.assessment_prompt(
        member.full_name, _kind(fctx), _year(fctx), lines, figures.done, figures.items, figures.overdue
    )


async def _ranking_prompt(fctx: FormCtx) -> str:
    """Propose a ranking from the member's items on the year's scale."""
    items = await _items(fctx)
    scale = await pledges.ranking_scale(fctx.ctx.conn, _year(fctx))
    level = propose_ranking([ItemOutcome(i.status, i.vague) for i in items], len(scale))
    figures = standing(items, fctx.ctx.today)
    return t.ranking_prompt(
        None if level is None else scale[level], figures.done, figures.items, sum(i.vague for i in items)
    )


async def _ranking_options(fctx: FormCtx) -> list[Option]:
    """Offer the year's ranking scale."""
    return [Option(label, label) for label in await pledges.ranking_scale(fctx.ctx.conn, _year(fctx))]


async def _save_review(fctx: FormCtx) -> list[Outbound]:
    """Record the review, then open the next member's while some remain."""
    ctx, draft = fctx.ctx, fctx.draft
    cell = await visible_cell(ctx, int(fctx.params["cell_id"]))
    if not ctx.me.can_edit_cell(cell.id):
        return [Outbound(t.leaders_only())]
    member = await _member(fctx)
    kind, year = _kind(fctx), _year(fctx)
    await pledges.record_review(
        ctx.conn,
        member_id=member.id,
        year=year,
        kind=kind,
        assessment=draft["assessment"],
        ranking=draft.get("ranking"),
        today=ctx.today,
        now=ctx.now,
        person_id=ctx.me.person_id,
    )
    await ctx.audit(
        "member_review",
        f"{member.id}:{year}:{kind}",
        "recorded",
        {"ranking": draft.get("ranking")},
        on_behalf_of_member=_on_behalf(ctx, member.id),
    )
    roster = await org.list_members(ctx.conn, cell.id)
    done = await pledges.reviews_by_member(ctx.conn, [m.id for m in roster], year, kind)
    remaining = len(roster) - len(done)
    saved = Outbound(t.review_saved(kind, member.full_name, remaining))
    if not remaining:
        return [saved]
    return [saved] + await ctx.flows.start(ctx, "review", {"cell_id": cell.id, "year": year, "kind": kind})


async def _year_end(fctx: FormCtx) -> bool:
    """Tell whether the review is the year-end one, which ranks the member."""
    return (fctx.params.get("kind") or fctx.draft.get("kind")) == YEAR_END


REVIEW_FORM = Form(
    name="review",
    title=t.REVIEW_TITLE,
    command="danhgia",
    steps=(
        Step(
            "kind",
            t.LABEL_REVIEW_KIND,
            t.ASK_REVIEW_KIND,
            options=tuple(Option(t.REVIEW_NAMES[k], k) for k in (MID_YEAR, YEAR_END)),
            when=without_param("kind"),
        ),
        Step(
            "member",
            t.LABEL_MEMBER,
            _review_member_prompt,
            parse=_parse_member,
            show=_show_member,
            reprompt=t.ASK_MEMBER_AGAIN,
            listed=_roster_ids,
            depends_on=("kind",),
        ),
        Step("assessment", t.LABEL_ASSESSMENT, _assessment_prompt, max_length=2000, depends_on=("member",)),
        Step(
            "ranking",
            t.LABEL_RANKING,
            _ranking_prompt,
            options=_ranking_options,
            when=_year_end,
            depends_on=("member", "kind"),
        ),
    ),
    submit=_save_review,
)

COMMANDS = [
    Command(
        "dangky",
        pledge_command,
        CELL_MEMBERS,
        help=t.HELP_PLEDGE,
        aliases=("dang ky", "dang ky cam ket"),
        starts_flow=True,
    ),
    Command(
        "capnhat",
        progress_command,
        CELL_MEMBERS,
        help=t.HELP_PROGRESS,
        aliases=("cap nhat", "cap nhat cam ket"),
        starts_flow=True,
    ),
    Command(
        "danhgia",
        review_command,
        LEADERS,
        help=t.HELP_REVIEW,
        aliases=("danh gia", "so ket", "tong ket"),
        starts_flow=True,
    ),
]
FORMS = [PLEDGE_FORM, PROGRESS_FORM, REVIEW_FORM]
