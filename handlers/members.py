"""/dangvien: a cell's roster, changes to it, a member's card and the cell summary."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import date

from core.commands import EVERYONE, Command
from core.context import Ctx
from core.forms import Form, FormCtx, FormError, Parser, Prompt, Step, show_date, without_param
from core.messages import Option, Outbound
from core.parsing import ParseError, parse_date, parse_int
from core.refusal import Refusal
from domain.attendance import tally
from domain.clock import fmt_date
from domain.pledges import NONE, SPECIFIC, VAGUE, is_overdue, months_before, standing
from domain.words import normalize
from handlers.access import cell_for_leader, member_in_reach, resolve_member, visible_cell
from handlers.choices import committee_cells
from handlers.start import parse_full_name
from reports.roster_file import parse_roster
from storage import org, pledges, roster
from storage.org import Member, NewMember
from storage.reports import member_attendance
from texts import common as tc
from texts import members as t
from texts import pledges as tp

VIEW, SUMMARY, ADD, EXCUSE, PROMOTE, MOVE_OUT, IMPORT = (
    "view",
    "summary",
    "add",
    "excuse",
    "promote",
    "move_out",
    "import",
)
ACTIONS_VIEW = ((t.ACTION_VIEW, VIEW), (t.ACTION_SUMMARY, SUMMARY))
ACTIONS_EDIT = (
    (t.ACTION_ADD, ADD),
    (t.ACTION_EXCUSE, EXCUSE),
    (t.ACTION_PROMOTE, PROMOTE),
    (t.ACTION_MOVE_OUT, MOVE_OUT),
    (t.ACTION_IMPORT, IMPORT),
)
CHANGES = frozenset({ADD, EXCUSE, PROMOTE, MOVE_OUT, IMPORT})
SUMMARY_WORDS = ("tong hop", "tonghop")
# A roster of a few hundred rows parses in well under a second; a file that takes longer is refused.
ROSTER_PARSE_SECONDS = 10.0
FIRST_BIRTH_YEAR = 1900
MIN_AGE = 18


async def roster_lines(ctx: Ctx, members: list[Member]) -> list[str]:
    """Describe each member with status, excused flag and pledge coverage of this year."""
    items = await pledges.items_by_member(ctx.conn, [m.id for m in members], ctx.today.year)
    return [
        t.roster_line(n, m.full_name, m.status, m.excused, standing(items[m.id], ctx.today).coverage)
        for n, m in enumerate(members, start=1)
    ]


async def _roster_text(ctx: Ctx, cell: org.Cell) -> str:
    """List the cell's current members and count those who moved out."""
    current = await org.list_members(ctx.conn, cell.id)
    moved_out = await org.count_moved_out(ctx.conn, cell.id)
    return t.roster(cell.name, await roster_lines(ctx, current), moved_out)


async def member_card(ctx: Ctx, member: Member) -> Outbound:
    """Show one member's status, attendance, pledge items with progress, and last review."""
    cell = await org.get_cell(ctx.conn, member.cell_id)
    today = ctx.today
    parts = [
        t.card_head(
            member.full_name,
            cell.name,
            member.status,
            member.excused,
            fmt_date(member.joined_on) if member.joined_on else None,
            fmt_date(member.left_on) if member.left_on else None,
        )
    ]
    parts.append(await _attendance_line(ctx, member.id, today))
    items = await pledges.member_items(ctx.conn, member.id, today.year)
    figures = standing(items, today)
    lines = [tp.item_line(*item_fields(item, today)) for item in items]
    parts.append("\n".join([t.card_pledge_head(today.year, len(items), sum(i.vague for i in items)), *lines]))
    if items:
        parts.append(t.card_overdue(figures.overdue))
    review = await pledges.last_review(ctx.conn, member.id)
    if review is None:
        parts.append(t.card_no_review())
    else:
        parts.append(
            t.card_review(
                tp.review_of_year(review.kind, review.year),
                fmt_date(review.reviewed_on),
                review.assessment,
                review.ranking,
            )
        )
    return Outbound("\n\n".join(parts))


def item_fields(
    item: pledges.Item, today: date
) -> tuple[int, str, str | None, str | None, str, str | None, bool, bool]:
    """Return the arguments of an item line."""
    return (
        item.position,
        item.action,
        item.indicator,
        fmt_date(item.deadline) if item.deadline else None,
        item.status,
        fmt_date(item.updated_on) if item.updated_on else None,
        item.vague,
        is_overdue(item.deadline, item.status, today),
    )


async def _attendance_line(ctx: Ctx, member_id: int, today: date) -> str:
    """Summarise the member's attendance at filed meetings over the last 12 months."""
    statuses = [
        status for _, status in await member_attendance(ctx.conn, member_id, months_before(today, 12), today)
    ]
    counts = tally(statuses)
    return t.card_attendance(
        counts.total,
        counts.present,
        counts.expected,
        counts.absent_with_reason,
        counts.absent_without_reason,
        counts.excused,
    )


async def cell_summary(ctx: Ctx, cell: org.Cell) -> Outbound:
    """List every member's pledge coverage and figures, with the cell's totals."""
    today = ctx.today
    members = await org.list_members(ctx.conn, cell.id)
    items = await pledges.items_by_member(ctx.conn, [m.id for m in members], today.year)
    figures = [(m, standing(items[m.id], today)) for m in members]
    coverage = [f.coverage for _, f in figures]
    totals = t.summary_totals(
        len(members),
        coverage.count(SPECIFIC),
        coverage.count(VAGUE),
        coverage.count(NONE),
        sum(f.done for _, f in figures),
        sum(f.in_progress for _, f in figures),
        sum(f.overdue for _, f in figures),
        sum(f.items for _, f in figures),
    )
    lines = [
        t.summary_line(n, m.full_name, f.coverage, f.done, f.in_progress, f.overdue, f.stale)
        for n, (m, f) in enumerate(figures, start=1)
    ]
    stale = t.summary_stale([m.full_name for m, f in figures if f.stale])
    head = t.summary_head(cell.name, today.year, fmt_date(today))
    return Outbound("\n\n".join([head, totals, "\n".join(lines), stale]))


async def members_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Open the roster, or show one member's card, or the cell summary."""
    me = ctx.me
    cell = await cell_for_leader(ctx)
    if not args:
        if cell is not None:
            return await ctx.flows.start(ctx, "roster", {"cell_id": cell.id})
        if me.committee_ids:
            return await ctx.flows.start(ctx, "roster", {"committee_id": min(me.committee_ids)})
        if me.member_id is not None:
            return [await member_card(ctx, await org.get_member(ctx.conn, me.member_id))]
        return [Outbound(t.not_on_roster())]
    if normalize(args) in SUMMARY_WORDS and cell is not None:
        return [await cell_summary(ctx, cell)]
    if cell is not None:
        try:
            member = resolve_member(await org.list_members(ctx.conn, cell.id), args)
        except ParseError as error:
            return [Outbound(error.reason[0].upper() + error.reason[1:])]
        return [await member_card(ctx, member)]
    if me.committee_ids:
        return await _committee_lookup(ctx, args)
    if me.member_id is not None:
        return [await member_card(ctx, await org.get_member(ctx.conn, me.member_id))]
    return [Outbound(t.not_on_roster())]


async def _committee_lookup(ctx: Ctx, text: str) -> list[Outbound]:
    """Find a member by name across the committee's cells."""
    if re.fullmatch(r"\d{1,6}", normalize(text), re.ASCII):
        return [Outbound(t.committee_needs_name())]
    wanted = normalize(text)
    found: list[tuple[org.Cell, Member]] = []
    for committee_id in sorted(ctx.me.committee_ids):
        for cell in await org.list_cells(ctx.conn, committee_id):
            for member in await org.list_members(ctx.conn, cell.id):
                if f" {wanted} " in f" {normalize(member.full_name)} ":
                    found.append((cell, member))
    exact = [(c, m) for c, m in found if normalize(m.full_name) == wanted]
    if len(exact) == 1 or len(found) == 1:
        return [await member_card(ctx, (exact or found)[0][1])]
    if not found:
        return [Outbound(t.nobody_named(text.strip()))]
    return [Outbound(t.several_named([f"{m.full_name} — {c.name}" for c, m in found]))]


# The roster form.


async def _cell_id(fctx: FormCtx) -> int:
    """Return the cell the form is about, checked against the sender's reach."""
    raw = fctx.params.get("cell_id") or fctx.draft.get("cell")
    if raw is None:
        # The cell step comes first and is skipped only when the command gave the cell.
        raise LookupError("roster form reached without a cell")
    return (await visible_cell(fctx.ctx, int(raw))).id


async def _roster(fctx: FormCtx) -> list[Member]:
    """Return the current roster of the form's cell."""
    return await org.list_members(fctx.ctx.conn, await _cell_id(fctx))


async def _action_prompt(fctx: FormCtx) -> str:
    """Show the roster and ask what to do."""
    cell = await visible_cell(fctx.ctx, await _cell_id(fctx))
    return t.action_prompt(await _roster_text(fctx.ctx, cell))


async def _action_options(fctx: FormCtx) -> list[Option]:
    """Offer what the sender may do with this cell's roster."""
    editable = fctx.ctx.me.can_edit_cell(await _cell_id(fctx))
    actions = (*ACTIONS_VIEW, *ACTIONS_EDIT) if editable else ACTIONS_VIEW
    return [Option(label, value) for label, value in actions]


async def _left_on_prompt(fctx: FormCtx) -> str:
    """Ask the day the member moved out, the first of this month as the example."""
    return t.ask_left_on(fmt_date(fctx.ctx.today.replace(day=1)))


async def _parse_member(fctx: FormCtx, text: str) -> int:
    """Pick a member of the roster."""
    return resolve_member(await _roster(fctx), text).id


async def _parse_candidate(fctx: FormCtx, text: str) -> int:
    """Pick a candidate member of the roster, the only ones who can be made full members."""
    member = resolve_member(await _roster(fctx), text)
    if member.status != "candidate":
        raise ParseError(t.not_a_candidate(member.full_name))
    return member.id


async def _show_member(fctx: FormCtx, member_id: int) -> str:
    """Name a chosen member."""
    return (await org.get_member(fctx.ctx.conn, member_id)).full_name


async def _parse_new_name(fctx: FormCtx, text: str) -> str:
    """Accept a full name not yet on the roster."""
    name = await parse_full_name(fctx, text)
    if any(normalize(m.full_name) == normalize(name) for m in await _roster(fctx)):
        raise ParseError(t.name_taken(name))
    return name


async def _parse_birth_year(fctx: FormCtx, text: str) -> int:
    """Accept a birth year of someone at least 18."""
    last = fctx.ctx.today.year - MIN_AGE
    try:
        return parse_int(text, minimum=FIRST_BIRTH_YEAR, maximum=last)
    except ParseError:
        raise ParseError(t.bad_birth_year(FIRST_BIRTH_YEAR, last)) from None


async def _parse_joined(fctx: FormCtx, text: str) -> str:
    """Accept a date joined at 18 or later and not in the future."""
    day = parse_date(text, fctx.ctx.today)
    if day > fctx.ctx.today or day.year - fctx.draft.get("birth_year", 0) < MIN_AGE:
        raise ParseError(t.joined_too_early(fctx.draft.get("name", "")))
    return day.isoformat()


async def _parse_left_on(fctx: FormCtx, text: str) -> str:
    """Accept a moving-out date up to today."""
    day = parse_date(text, fctx.ctx.today)
    if day > fctx.ctx.today:
        raise ParseError(t.left_on_in_future())
    return day.isoformat()


async def _parse_file(fctx: FormCtx, text: str) -> dict:
    """Read a roster file sent in chat: every row valid and new, or a list of what to fix."""
    attachment = fctx.ctx.inbound.attachment
    if attachment is None or attachment.kind != "document":
        raise ParseError(t.FILE_NEEDED)
    if attachment.data is None:
        raise ParseError(t.FILE_TOO_BIG)
    name = attachment.file_name or "danh-sach.csv"
    # Parsed in a thread with a time limit, so a hostile file cannot hold every other chat.
    parsing = asyncio.to_thread(parse_roster, attachment.data, name, today=fctx.ctx.today)
    try:
        result = await asyncio.wait_for(parsing, ROSTER_PARSE_SECONDS)
    except TimeoutError:
        raise ParseError(t.FILE_TOO_SLOW) from None
    if not result.ok:
        raise ParseError(t.import_errors(len(result.errors), [e.message for e in result.errors]))
    taken = {normalize(m.full_name) for m in await _roster(fctx)}
    clashes = [r.full_name for r in result.rows if normalize(r.full_name) in taken]
    if clashes:
        raise ParseError(t.import_clashes(clashes))
    rows = [
        {
            "full_name": r.full_name,
            "birth_year": r.birth_year,
            "status": r.status,
            "excused": r.excused,
            "joined_on": r.joined_on.isoformat() if r.joined_on else None,
        }
        for r in result.rows
    ]
    return {"file_name": name, "rows": rows}


async def _show_file(fctx: FormCtx, value: dict) -> str:
    """Name the file and its row count."""
    return t.file_shown(value["file_name"], len(value["rows"]))


async def _pick_action(fctx: FormCtx) -> list[Outbound]:
    """Open the form of the action chosen, or show the cell summary."""
    ctx, action = fctx.ctx, fctx.draft["action"]
    cell = await visible_cell(ctx, await _cell_id(fctx))
    if action == SUMMARY:
        return [await cell_summary(ctx, cell)]
    if action in CHANGES and not ctx.me.can_edit_cell(cell.id):
        return [Outbound(tc.not_allowed())]
    return await ctx.flows.start(ctx, f"roster_{action}", {"cell_id": cell.id})


async def _editable_cell(fctx: FormCtx) -> org.Cell:
    """Return the form's cell, refusing a sender who may no longer change its roster."""
    cell = await visible_cell(fctx.ctx, await _cell_id(fctx))
    if not fctx.ctx.me.can_edit_cell(cell.id):
        raise Refusal(tc.not_allowed())
    return cell


async def _change_member(fctx: FormCtx, change: Callable[[Ctx, Member], Awaitable[str]]) -> list[Outbound]:
    """Apply a confirmed change to the member picked in the form, still on this cell's roster."""
    cell = await _editable_cell(fctx)
    if fctx.draft["confirm"] != "yes":
        return [Outbound(t.discarded())]
    member = await org.get_member(fctx.ctx.conn, fctx.draft["member"])
    if member.cell_id != cell.id:
        raise FormError("member", t.ASK_MEMBER)
    return [Outbound(await change(fctx.ctx, member))]


async def _view(fctx: FormCtx) -> list[Outbound]:
    """Show the chosen member's card."""
    return [await member_card(fctx.ctx, await member_in_reach(fctx.ctx, fctx.draft["member"]))]


async def _confirm_add(fctx: FormCtx) -> str:
    """Describe the member about to be added."""
    draft = fctx.draft
    return t.confirm_add(draft["name"], draft["status"], draft["birth_year"], draft["excused"] == "yes")


async def _add(fctx: FormCtx) -> list[Outbound]:
    """Add the confirmed member to the roster."""
    ctx, draft = fctx.ctx, fctx.draft
    cell = await _editable_cell(fctx)
    if draft["confirm"] != "yes":
        return [Outbound(t.discarded())]
    joined = date.fromisoformat(draft["joined_on"]) if draft.get("joined_on") else None
    new = NewMember(draft["name"], draft["birth_year"], draft["status"], draft["excused"] == "yes", joined)
    (member_id,) = await org.add_members(ctx.conn, cell.id, [new], ctx.now)
    await ctx.audit("member", member_id, "added", {"cell_id": cell.id})
    return [Outbound(t.added(new.full_name, cell.name))]


async def _confirm_excuse(fctx: FormCtx) -> str:
    """Describe the change of the chosen member's excused flag."""
    member = await org.get_member(fctx.ctx.conn, fctx.draft["member"])
    return t.confirm_excuse(member.full_name, member.excused)


async def _excuse(fctx: FormCtx) -> list[Outbound]:
    """Excuse the chosen member from meetings, or end the excuse."""
    return await _change_member(fctx, _toggle_excused)


async def _toggle_excused(ctx: Ctx, member: Member) -> str:
    """Flip a member's excused flag and record it."""
    await roster.set_excused(ctx.conn, member.id, not member.excused)
    await ctx.audit("member", member.id, "excused" if not member.excused else "unexcused", {})
    return t.excused_changed(member.full_name, not member.excused)


async def _confirm_promote(fctx: FormCtx) -> str:
    """Describe the promotion about to be recorded."""
    return t.confirm_promote((await org.get_member(fctx.ctx.conn, fctx.draft["member"])).full_name)


async def _promote(fctx: FormCtx) -> list[Outbound]:
    """Make the chosen candidate a full member."""
    return await _change_member(fctx, _make_full)


async def _make_full(ctx: Ctx, member: Member) -> str:
    """Record a candidate as a full member."""
    await roster.make_full(ctx.conn, member.id)
    await ctx.audit("member", member.id, "made_full", {})
    return t.promoted(member.full_name)


async def _confirm_move_out(fctx: FormCtx) -> str:
    """Describe the move out about to be recorded."""
    draft = fctx.draft
    member = await org.get_member(fctx.ctx.conn, draft["member"])
    return t.confirm_move_out(member.full_name, await show_date(fctx, draft["left_on"]), draft["destination"])


async def _move_out(fctx: FormCtx) -> list[Outbound]:
    """Record that the chosen member moved to another cell or organisation."""
    left_on, destination = fctx.draft["left_on"], fctx.draft["destination"]

    async def move(ctx: Ctx, member: Member) -> str:
        """Close the member's time on the roster and record where they went."""
        await roster.move_out(ctx.conn, member.id, date.fromisoformat(left_on))
        await ctx.audit("member", member.id, "moved_out", {"on": left_on, "destination": destination})
        return t.moved_out(member.full_name, fmt_date(date.fromisoformat(left_on)))

    return await _change_member(fctx, move)


async def _confirm_import(fctx: FormCtx) -> str:
    """Preview the members a roster file would add."""
    file = fctx.draft["file"]
    rows = file["rows"]
    return t.import_preview(
        file["file_name"],
        [r["full_name"] for r in rows],
        sum(1 for r in rows if r["status"] == "candidate"),
        sum(1 for r in rows if r["excused"]),
    )


async def _import(fctx: FormCtx) -> list[Outbound]:
    """Add every member of the confirmed roster file."""
    ctx, draft = fctx.ctx, fctx.draft
    cell = await _editable_cell(fctx)
    if draft["confirm"] != "yes":
        return [Outbound(t.discarded())]
    rows = [
        NewMember(
            r["full_name"],
            r["birth_year"],
            r["status"],
            r["excused"],
            date.fromisoformat(r["joined_on"]) if r["joined_on"] else None,
        )
        for r in draft["file"]["rows"]
    ]
    # Someone may have added one of these names since the preview.
    taken = {normalize(m.full_name) for m in await org.list_members(ctx.conn, cell.id)}
    clashes = [r.full_name for r in rows if normalize(r.full_name) in taken]
    if clashes:
        raise FormError("file", t.import_clashes(clashes))
    ids = await org.add_members(ctx.conn, cell.id, rows, ctx.now)
    for member_id in ids:
        await ctx.audit(
            "member", member_id, "imported", {"cell_id": cell.id, "file": draft["file"]["file_name"]}
        )
    return [Outbound(t.imported(len(ids), cell.name))]


YES_NO = (Option(t.YES, "yes"), Option(t.NO, "no"))
CONFIRM_OR_DISCARD = (Option(t.CONFIRM, "yes"), Option(t.DISCARD, "no"))


def _member_step(parse: Parser = _parse_member) -> Step:
    """Return the question naming a member of the roster."""
    return Step("member", t.LABEL_MEMBER, t.ASK_MEMBER, parse=parse, show=_show_member)


def _confirm_step(prompt: Prompt, depends_on: tuple[str, ...]) -> Step:
    """Return the question confirming a change described by prompt."""
    return Step("confirm", t.LABEL_CONFIRM, prompt, options=CONFIRM_OR_DISCARD, depends_on=depends_on)


def _roster_form(
    action: str, steps: tuple[Step, ...], submit: Callable[[FormCtx], Awaitable[list[Outbound]]]
) -> Form:
    """Return the form of one roster action, opened from the roster with its cell."""
    return Form(
        name=f"roster_{action}",
        title=t.ROSTER_TITLE,
        command="dangvien",
        confirm=False,
        keep_drafts=False,
        steps=steps,
        submit=submit,
    )


ROSTER_FORM = Form(
    name="roster",
    title=t.ROSTER_TITLE,
    command="dangvien",
    confirm=False,
    keep_drafts=False,
    steps=(
        Step("cell", t.LABEL_CELL, t.ASK_CELL, options=committee_cells, when=without_param("cell_id")),
        Step("action", t.LABEL_ACTION, _action_prompt, options=_action_options, depends_on=("cell",)),
    ),
    submit=_pick_action,
)
ACTION_FORMS = [
    _roster_form(VIEW, (_member_step(),), _view),
    _roster_form(
        ADD,
        (
            Step("name", t.LABEL_NAME, t.ASK_NAME, parse=_parse_new_name, max_length=100),
            Step("birth_year", t.LABEL_BIRTH_YEAR, t.ASK_BIRTH_YEAR, parse=_parse_birth_year),
            Step(
                "status",
                t.LABEL_STATUS,
                t.ASK_STATUS,
                options=tuple(Option(label, value) for value, label in t.STATUS_CHOICES.items()),
            ),
            Step("excused", t.LABEL_EXCUSED, t.ASK_EXCUSED, options=YES_NO),
            Step(
                "joined_on",
                t.LABEL_JOINED,
                t.ASK_JOINED,
                parse=_parse_joined,
                show=show_date,
                optional=True,
                depends_on=("birth_year",),
            ),
            _confirm_step(_confirm_add, ("name", "birth_year", "status", "excused", "joined_on")),
        ),
        _add,
    ),
    _roster_form(EXCUSE, (_member_step(), _confirm_step(_confirm_excuse, ("member",))), _excuse),
    _roster_form(
        PROMOTE, (_member_step(_parse_candidate), _confirm_step(_confirm_promote, ("member",))), _promote
    ),
    _roster_form(
        MOVE_OUT,
        (
            _member_step(),
            Step("left_on", t.LABEL_LEFT_ON, _left_on_prompt, parse=_parse_left_on, show=show_date),
            Step("destination", t.LABEL_DESTINATION, t.ASK_DESTINATION, max_length=300),
            _confirm_step(_confirm_move_out, ("member", "left_on", "destination")),
        ),
        _move_out,
    ),
    _roster_form(
        IMPORT,
        (
            Step("file", t.LABEL_FILE, t.ASK_FILE, parse=_parse_file, show=_show_file),
            _confirm_step(_confirm_import, ("file",)),
        ),
        _import,
    ),
]

COMMANDS = [
    Command(
        "dangvien",
        members_command,
        EVERYONE,
        help=t.HELP_MEMBERS,
        aliases=("dang vien", "danh sach dang vien"),
        starts_flow=True,
    ),
]
FORMS = [ROSTER_FORM, *ACTION_FORMS]
