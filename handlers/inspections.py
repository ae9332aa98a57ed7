"""Inspections: /kiemtra plans, /lichkiemtra lists, /tukiemtra, /ketluan, /khacphuc, /dongkhacphuc."""

from __future__ import annotations

from datetime import date, timedelta

from core.commands import CELL_AND_COMMITTEE, COMMITTEE_ONLY, LEADERS, Command
from core.context import Ctx
from core.forms import Form, FormCtx, Step, show_date
from core.messages import Option, Outbound
from core.parsing import ParseError, parse_coming_date, parse_month, parse_number_list
from domain import calendar
from domain.clock import fmt_date, fmt_month
from domain.meetings import month_days
from domain.words import normalize
from handlers.choices import year_theme
from reports.readiness import readiness_of
from storage import accounts, inspections, org
from storage.inspections import NewInspection
from texts import inspections as t

TASK_SEPARATORS = (" - ", " – ", " — ", ": hạn ", " hạn ", " han ")


async def _committee_cells(fctx: FormCtx) -> list[org.Cell]:
    """Return the cells of the committee planning the inspection."""
    return await org.list_cells(fctx.ctx.conn, fctx.params["committee_id"])


async def _cell_ids(fctx: FormCtx) -> list[int]:
    """Return the cells the cells question numbers, in their order."""
    return [c.id for c in await _committee_cells(fctx)]


async def _ask_cells(fctx: FormCtx) -> str:
    """List the committee's cells by number."""
    cells = await _committee_cells(fctx)
    return t.ASK_CELLS.format(cells="\n".join(f"{n}. {c.name}" for n, c in enumerate(cells, start=1)))


async def _parse_cells(fctx: FormCtx, text: str) -> list[int]:
    """Read the chosen cells: numbers ("1, 3") or "tất cả"."""
    cells = await _committee_cells(fctx)
    if normalize(text).rstrip(" .") in t.ALL_WORDS:
        return [c.id for c in cells]
    try:
        numbers = parse_number_list(text, len(cells))
    except ParseError:
        raise ParseError(t.cells_unreadable(len(cells))) from None
    return [cells[n - 1].id for n in numbers]


async def _show_cells(fctx: FormCtx, value: list[int]) -> str:
    """Name the chosen cells."""
    names = {c.id: c.name for c in await _committee_cells(fctx)}
    return ", ".join(names.get(cell_id, "?") for cell_id in value)


async def _parse_session(fctx: FormCtx, text: str) -> str:
    """Read the session date, which must not have passed: «15/9» typed in December is next September."""
    today = fctx.ctx.today
    day = parse_coming_date(text, today)
    if day < today:
        raise ParseError(t.session_in_past(fmt_date(day), fmt_date(_example_session(today))))
    return day.isoformat()


def _example_session(today: date) -> date:
    """Return a session date for the examples: two weeks from today."""
    return today + timedelta(days=14)


async def _session_prompt(fctx: FormCtx) -> str:
    """Ask the session date, two weeks ahead as the example."""
    return t.ask_session(fmt_date(_example_session(fctx.ctx.today)))


async def _content_prompt(fctx: FormCtx) -> str:
    """Ask the content, the year's directive as the example."""
    theme = await year_theme(fctx, fctx.params["committee_id"], fctx.ctx.today.year)
    return t.ask_content(theme.directive)


async def _period_start_prompt(fctx: FormCtx) -> str:
    """Ask the first covered month, January of this year as the example."""
    return t.ask_period_start(fmt_month(fctx.ctx.today.year, 1))


async def _period_end_prompt(fctx: FormCtx) -> str:
    """Ask the last covered month, last month as the example."""
    return t.ask_period_end(fmt_month(*calendar.previous_month(fctx.ctx.today)))


async def _tasks_prompt(fctx: FormCtx) -> str:
    """Ask the remedial tasks, deadlines ahead of today as the examples."""
    today = fctx.ctx.today
    return t.ask_tasks(fmt_date(today + timedelta(days=30)), _example_task_due(today))


async def _parse_start(fctx: FormCtx, text: str) -> list[int]:
    """Read the first month of the covered period."""
    return list(parse_month(text, fctx.ctx.today))


async def _parse_end(fctx: FormCtx, text: str) -> list[int]:
    """Read the last month of the covered period, not before the first."""
    year, month = parse_month(text, fctx.ctx.today)
    start = fctx.draft["period_start"]
    if (year, month) < tuple(start):
        raise ParseError(t.period_end_before_start(fmt_month(*start)))
    return [year, month]


async def _show_month(fctx: FormCtx, value: list[int]) -> str:
    """Show a stored month as m/yyyy."""
    return fmt_month(*value)


async def _notify_leaders(ctx: Ctx, cell_id: int, text: str, *, kind: str, key: str) -> None:
    """Send a notice to a cell's secretary and deputies through the outbox."""
    leaders = [person_id for person_id, _, _ in await accounts.cell_leaders(ctx.conn, cell_id)]
    await ctx.notify(leaders, Outbound(text), kind=kind, key=key)


async def _notify_committee(ctx: Ctx, committee_id: int, text: str, *, kind: str, key: str) -> None:
    """Send a notice to every member of a committee through the outbox."""
    people = [person_id for person_id, _ in await accounts.committee_people(ctx.conn, committee_id)]
    await ctx.notify(people, Outbound(text), kind=kind, key=key)


async def plan_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Open the inspection planning form for the sender's committee."""
    return await ctx.flows.start(ctx, "kiemtra", {"committee_id": min(ctx.me.committee_ids)})


async def _plan(fctx: FormCtx) -> list[Outbound]:
    """Store one inspection per chosen cell and notify each cell's leaders at once."""
    ctx, draft = fctx.ctx, fctx.draft
    start, end = draft["period_start"], draft["period_end"]
    session_on = date.fromisoformat(draft["session_on"])
    period = t.period_text(fmt_month(*start), fmt_month(*end))
    lines = []
    for cell_id in draft["cells"]:
        cell = await org.get_cell(ctx.conn, cell_id)
        plan = NewInspection(
            committee_id=fctx.params["committee_id"],
            cell_id=cell_id,
            session_on=session_on,
            content=draft["content"],
            period_start=date(start[0], start[1], 1),
            period_end=month_days(*end)[1],
            documents=draft.get("documents"),
        )
        inspection_id = await inspections.create_inspection(ctx.conn, plan, ctx.me.person_id, ctx.now)
        await ctx.audit(
            "inspection",
            inspection_id,
            "planned",
            {"cell_id": cell_id, "session_on": draft["session_on"]},
        )
        notice = t.notice(
            cell.name,
            fmt_date(session_on),
            plan.content,
            period,
            plan.documents,
            t.inspection_code(inspection_id),
        )
        await _notify_leaders(
            ctx, cell_id, notice, kind=calendar.INSPECTION_NOTICE, key=f"inspection:{inspection_id}"
        )
        lines.append(t.planned_line(t.inspection_code(inspection_id), cell.name, fmt_date(session_on)))
    return [Outbound(t.planned(lines, ctx.notices_held_until))]


PLAN_FORM = Form(
    name="kiemtra",
    title=t.PLAN_TITLE,
    command="kiemtra",
    keep_drafts=True,
    steps=(
        Step(
            key="cells",
            label=t.LABEL_CELLS,
            prompt=_ask_cells,
            parse=_parse_cells,
            show=_show_cells,
            listed=_cell_ids,
        ),
        Step(
            key="session_on",
            label=t.LABEL_SESSION,
            prompt=_session_prompt,
            parse=_parse_session,
            show=show_date,
        ),
        Step(key="content", label=t.LABEL_CONTENT, prompt=_content_prompt, max_length=500),
        Step(
            key="period_start",
            label=t.LABEL_PERIOD_START,
            prompt=_period_start_prompt,
            parse=_parse_start,
            show=_show_month,
        ),
        Step(
            key="period_end",
            label=t.LABEL_PERIOD_END,
            prompt=_period_end_prompt,
            parse=_parse_end,
            show=_show_month,
            depends_on=("period_start",),
        ),
        Step(
            key="documents", label=t.LABEL_DOCUMENTS, prompt=t.ASK_DOCUMENTS, optional=True, max_length=1000
        ),
    ),
    submit=_plan,
)


async def schedule_command(ctx: Ctx, args: str) -> list[Outbound]:
    """List upcoming inspections: the committee's for a committee member, the own cell's for a leader."""
    if ctx.me.is_committee:
        found = await inspections.upcoming(ctx.conn, ctx.today, committee_ids=ctx.me.committee_ids)
    elif (cell_id := ctx.me.led_cell_id) is not None:
        found = await inspections.upcoming(ctx.conn, ctx.today, cell_id=cell_id)
    else:
        return [Outbound(t.no_cell())]
    if not found:
        return [Outbound(t.no_upcoming())]
    lines = []
    for i in found:
        lines.append(
            t.schedule_line(
                t.inspection_code(i.id),
                fmt_date(i.session_on),
                i.cell_name,
                i.content,
                i.self_report_at is not None,
            )
        )
        if ctx.me.is_committee:
            lines.append(t.checklist_short(await readiness_of(ctx.conn, i, ctx.today)))
    replies = [Outbound(t.schedule(lines))]
    if not ctx.me.is_committee:
        ready = await readiness_of(ctx.conn, found[0], ctx.today)
        replies.append(Outbound(t.checklist(ready)))
    return replies


def _inspection_option(inspection: inspections.Inspection) -> Option:
    """Offer an inspection as a choice."""
    label = t.inspection_label(inspection.cell_name, fmt_date(inspection.session_on), inspection.content)
    return Option(label, str(inspection.id))


async def self_report_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Open the self-inspection report form, if the leader's cell has an upcoming inspection."""
    cell_id = ctx.me.led_cell_id
    if cell_id is None:
        return [Outbound(t.no_cell())]
    if not await inspections.upcoming(ctx.conn, ctx.today, cell_id=cell_id):
        return [Outbound(t.nothing_to_self_report())]
    return await ctx.flows.start(ctx, "tukiemtra", {"cell_id": cell_id})


async def _own_upcoming(fctx: FormCtx) -> list[Option]:
    """Offer the leader's cell's upcoming inspections."""
    found = await inspections.upcoming(fctx.ctx.conn, fctx.ctx.today, cell_id=fctx.params["cell_id"])
    return [_inspection_option(i) for i in found]


async def _file_self_report(fctx: FormCtx) -> list[Outbound]:
    """Record the self-inspection report and tell the committee."""
    ctx, draft = fctx.ctx, fctx.draft
    inspection = await inspections.get_inspection(ctx.conn, int(draft["inspection"]))
    if inspection is None or inspection.cell_id != fctx.params["cell_id"]:
        return [Outbound(t.nothing_to_self_report())]
    await inspections.record_self_report(ctx.conn, inspection.id, draft["summary"], ctx.now)
    await ctx.audit("inspection", inspection.id, "self_report", {"summary": draft["summary"]})
    session = fmt_date(inspection.session_on)
    await _notify_committee(
        ctx,
        inspection.committee_id,
        t.self_report_notice(inspection.cell_name, session, draft["summary"]),
        kind=calendar.SELF_REPORT_NOTICE,
        key=f"inspection:{inspection.id}",
    )
    return [Outbound(t.self_report_recorded(inspection.cell_name, session))]


SELF_REPORT_FORM = Form(
    name="tukiemtra",
    title=t.SELF_REPORT_TITLE,
    command="tukiemtra",
    keep_drafts=False,
    steps=(
        Step(key="inspection", label=t.LABEL_INSPECTION, prompt=t.ASK_SELF_INSPECTION, options=_own_upcoming),
        Step(key="summary", label=t.LABEL_SELF_SUMMARY, prompt=t.ASK_SELF_SUMMARY, max_length=2000),
    ),
    submit=_file_self_report,
)


async def conclude_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Open the conclusion form, if an inspection awaits its conclusion."""
    if not await inspections.awaiting_conclusion(ctx.conn, ctx.me.committee_ids, ctx.today):
        return [Outbound(t.nothing_to_conclude())]
    return await ctx.flows.start(ctx, "ketluan")


async def _awaiting(fctx: FormCtx) -> list[Option]:
    """Offer the inspections held and not yet concluded."""
    found = await inspections.awaiting_conclusion(fctx.ctx.conn, fctx.ctx.me.committee_ids, fctx.ctx.today)
    return [_inspection_option(i) for i in found]


async def _parse_tasks(fctx: FormCtx, text: str) -> list[list[str]]:
    """Read remedial tasks, one a line: "what - deadline"."""
    tasks = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        description, due = _split_task(line, fctx.ctx.today)
        try:
            due_on = parse_coming_date(due, fctx.ctx.today)
        except ParseError:
            raise ParseError(t.task_line_unreadable(line, _example_task_due(fctx.ctx.today))) from None
        if due_on < fctx.ctx.today:
            raise ParseError(t.task_due_in_past(line, fmt_date(due_on)))
        tasks.append([description, due_on.isoformat()])
    return tasks


def _split_task(line: str, today: date) -> tuple[str, str]:
    """Split a task line at the last separator before its deadline."""
    for separator in TASK_SEPARATORS:
        description, found, due = line.rpartition(separator)
        if found and description.strip():
            return description.strip(), due.strip()
    raise ParseError(t.task_line_unreadable(line, _example_task_due(today)))


def _example_task_due(today: date) -> str:
    """Return a remedial deadline for the examples: the last day of the second month ahead."""
    year, month = divmod(today.year * 12 + today.month - 1 + 2, 12)
    return fmt_date(month_days(year, month + 1)[1])


async def _show_tasks(fctx: FormCtx, value: list[list[str]]) -> str:
    """List the remedial tasks with their deadlines."""
    return "\n" + "\n".join(t.task_line(d, fmt_date(date.fromisoformat(due))) for d, due in value)


async def _conclude(fctx: FormCtx) -> list[Outbound]:
    """Record the conclusion and its tasks, and send them to the cell's leaders."""
    ctx, draft = fctx.ctx, fctx.draft
    inspection = await inspections.get_inspection(ctx.conn, int(draft["inspection"]))
    if inspection is None or inspection.committee_id not in ctx.me.committee_ids:
        return [Outbound(t.nothing_to_conclude())]
    tasks = [(d, date.fromisoformat(due)) for d, due in draft.get("tasks") or []]
    await inspections.conclude(
        ctx.conn,
        inspection.id,
        strengths=draft["strengths"],
        limitations=draft["limitations"],
        recommendations=draft["recommendations"],
        tasks=tasks,
        person_id=ctx.me.person_id,
        now=ctx.now,
    )
    await ctx.audit("inspection", inspection.id, "concluded", {"tasks": len(tasks)})
    task_lines = [t.task_line(d, fmt_date(due)) for d, due in tasks]
    notice = t.conclusion_notice(
        inspection.cell_name, draft["strengths"], draft["limitations"], draft["recommendations"], task_lines
    )
    await _notify_leaders(
        ctx, inspection.cell_id, notice, kind=calendar.CONCLUSION_NOTICE, key=f"inspection:{inspection.id}"
    )
    return [Outbound(t.concluded(inspection.cell_name, len(tasks), ctx.notices_held_until))]


CONCLUDE_FORM = Form(
    name="ketluan",
    title=t.CONCLUDE_TITLE,
    command="ketluan",
    keep_drafts=True,
    steps=(
        Step(key="inspection", label=t.LABEL_INSPECTION, prompt=t.ASK_INSPECTION, options=_awaiting),
        Step(key="strengths", label=t.LABEL_STRENGTHS, prompt=t.ASK_STRENGTHS, max_length=3000),
        Step(key="limitations", label=t.LABEL_LIMITATIONS, prompt=t.ASK_LIMITATIONS, max_length=3000),
        Step(
            key="recommendations",
            label=t.LABEL_RECOMMENDATIONS,
            prompt=t.ASK_RECOMMENDATIONS,
            max_length=3000,
        ),
        Step(
            key="tasks",
            label=t.LABEL_TASKS,
            prompt=_tasks_prompt,
            parse=_parse_tasks,
            show=_show_tasks,
            optional=True,
        ),
    ),
    submit=_conclude,
)


def _task_option(task: inspections.RemedialTask) -> Option:
    """Offer a remedial task as a choice."""
    return Option(t.task_label(task.cell_name, task.description, fmt_date(task.due_on)), str(task.id))


async def task_report_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Open the remedial task report form, if the leader's cell has open tasks."""
    cell_id = ctx.me.led_cell_id
    if cell_id is None:
        return [Outbound(t.no_cell())]
    if not await inspections.open_tasks(ctx.conn, cell_id=cell_id):
        return [Outbound(t.no_open_tasks())]
    return await ctx.flows.start(ctx, "khacphuc", {"cell_id": cell_id})


async def _own_tasks(fctx: FormCtx) -> list[Option]:
    """Offer the open tasks of the leader's cell."""
    return [
        _task_option(task)
        for task in await inspections.open_tasks(fctx.ctx.conn, cell_id=fctx.params["cell_id"])
    ]


async def _report_task(fctx: FormCtx) -> list[Outbound]:
    """Record what the cell did on a task and tell the committee."""
    ctx, draft = fctx.ctx, fctx.draft
    task = await inspections.get_task(ctx.conn, int(draft["task"]))
    if task is None or task.cell_id != fctx.params["cell_id"] or task.status != inspections.OPEN:
        return [Outbound(t.no_open_tasks())]
    await inspections.add_task_update(ctx.conn, task.id, ctx.me.person_id, draft["text"], ctx.now)
    await ctx.audit("remedial_task", task.id, "reported", {"text": draft["text"]})
    await _notify_committee(
        ctx,
        task.committee_id,
        t.task_report_notice(task.cell_name, task.description, draft["text"]),
        kind=calendar.REMEDIAL_UPDATE_NOTICE,
        key=f"task:{task.id}:{task.updates + 1}",
    )
    return [Outbound(t.task_reported(task.description, ctx.notices_held_until))]


TASK_REPORT_FORM = Form(
    name="khacphuc",
    title=t.TASK_REPORT_TITLE,
    command="khacphuc",
    keep_drafts=True,
    steps=(
        Step(key="task", label=t.LABEL_TASK, prompt=t.ASK_TASK, options=_own_tasks),
        Step(key="text", label=t.LABEL_TASK_REPORT, prompt=t.ASK_TASK_REPORT, max_length=3000),
    ),
    submit=_report_task,
)


async def close_task_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Open the form closing a remedial task, if any is open."""
    if not await inspections.open_tasks(ctx.conn, committee_ids=ctx.me.committee_ids):
        return [Outbound(t.no_open_tasks())]
    return await ctx.flows.start(ctx, "dongkp")


async def _committee_tasks(fctx: FormCtx) -> list[Option]:
    """Offer the open tasks of the committee's cells."""
    tasks = await inspections.open_tasks(fctx.ctx.conn, committee_ids=fctx.ctx.me.committee_ids)
    return [_task_option(task) for task in tasks]


async def _close_task(fctx: FormCtx) -> list[Outbound]:
    """Close the task and tell the cell's leaders."""
    ctx = fctx.ctx
    task = await inspections.get_task(ctx.conn, int(fctx.draft["task"]))
    if task is None or task.committee_id not in ctx.me.committee_ids or task.status != inspections.OPEN:
        return [Outbound(t.no_open_tasks())]
    await inspections.close_task(ctx.conn, task.id, ctx.me.person_id, ctx.now)
    await ctx.audit("remedial_task", task.id, "closed", {})
    await _notify_leaders(
        ctx,
        task.cell_id,
        t.task_closed_notice(task.cell_name, task.description),
        kind=calendar.REMEDIAL_CLOSED_NOTICE,
        key=f"task:{task.id}",
    )
    return [Outbound(t.task_closed(task.description))]


CLOSE_TASK_FORM = Form(
    name="dongkp",
    title=t.CLOSE_TASK_TITLE,
    command="dongkhacphuc",
    keep_drafts=False,
    steps=(Step(key="task", label=t.LABEL_TASK, prompt=t.ASK_TASK_TO_CLOSE, options=_committee_tasks),),
    submit=_close_task,
)


COMMANDS = [
    Command(
        "kiemtra",
        plan_command,
        COMMITTEE_ONLY,
        help=t.HELP_PLAN,
        aliases=("kiem tra",),
        starts_flow=True,
    ),
    Command(
        "lichkiemtra",
        schedule_command,
        CELL_AND_COMMITTEE,
        help=t.HELP_SCHEDULE,
        aliases=("lich kiem tra",),
    ),
    Command(
        "tukiemtra",
        self_report_command,
        LEADERS,
        help=t.HELP_SELF_REPORT,
        aliases=("tu kiem tra",),
        starts_flow=True,
    ),
    Command(
        "ketluan",
        conclude_command,
        COMMITTEE_ONLY,
        help=t.HELP_CONCLUDE,
        aliases=("ket luan",),
        starts_flow=True,
    ),
    Command(
        "khacphuc",
        task_report_command,
        LEADERS,
        help=t.HELP_TASK_REPORT,
        aliases=("khac phuc",),
        starts_flow=True,
    ),
    Command(
        "dongkhacphuc",
        close_task_command,
        COMMITTEE_ONLY,
        help=t.HELP_CLOSE_TASK,
        starts_flow=True,
    ),
]
FORMS = [PLAN_FORM, SELF_REPORT_FORM, CONCLUDE_FORM, TASK_REPORT_FORM, CLOSE_TASK_FORM]
