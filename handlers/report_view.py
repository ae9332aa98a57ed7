"""/xembaocao: list a cell's meeting reports and read one in full; the committee sees every cell."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from core.commands import CELL_AND_COMMITTEE, Command
from core.context import Ctx
from core.messages import Option, Outbound, command_option
from core.parsing import ParseError, match_choice
from domain.attendance import ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON
from domain.clock import fmt_date, fmt_datetime
from handlers.access import report_in_reach
from handlers.report_codes import (
    REPORT_OPTIONS,
    deadline_of,
    month_of,
    parse_report_code,
    report_code,
    report_option,
)
from reports.minutes import minutes_of
from storage import accounts, org, reports
from storage.reports import Report
from texts import documents as td
from texts import report as t

VIEW = "xembaocao"


async def render(conn: AsyncConnection, report: Report) -> str:
    """Render a report in full, its latest version marked when amended, with its history."""
    content = report.content
    cell = await org.get_cell(conn, report.cell_id)
    month = t.month_label(content.year, content.month)
    counts = content.counts
    names = report.names
    with_reason = [f"{names[e.member_id]} ({e.reason})" for e in report.absent(ABSENT_WITH_REASON)]
    without_reason = [names[e.member_id] for e in report.absent(ABSENT_WITHOUT_REASON)]
    deadline = await deadline_of(conn, report.cell_id, content.year, content.month)
    history = [
        t.revision_line(
            r.revision,
            fmt_datetime(r.at),
            r.person_name,
            [t.FIELD_LABELS[c] for c in dict.fromkeys(r.changes)],
        )
        for r in await reports.report_revisions(conn, report.id)
        if r.revision > 1
    ]
    title = t.report_heading(cell.name, month, report_code(report.id))
    if report.revision > 1:
        title = f"{title}\n{t.amended_marker(report.revision)}"
    return t.full_report(
        title=title,
        kind=t.KIND_LABELS[content.kind],
        topic=content.topic,
        when=t.when(fmt_date(content.meeting_date), content.start_time, content.end_time),
        place=content.place,
        chair=names[content.chair_member_id],
        minutes=names[content.minutes_member_id],
        guests=content.guests,
        total=counts.total,
        excused=counts.excused,
        present=counts.present,
        expected=counts.expected,
        shown_rate=t.rate(counts.rate),
        with_reason=with_reason,
        without_reason=without_reason,
        sections=(
            (t.LABEL_STUDY, content.study),
            (t.LABEL_DOCUMENTS, content.documents),
            (t.LABEL_REVIEW, content.review),
            (t.LABEL_RESOLUTION, content.resolution),
        ),
        vote=(
            t.show_vote(content.vote_for, content.vote_against or 0, content.vote_total or 0)
            if content.vote_for is not None
            else None
        ),
        quality=t.QUALITY_LABELS[content.quality],
        status=t.status_line(fmt_datetime(report.submitted_at), report.late, fmt_date(deadline)),
        history=history,
    )


async def shown(conn: AsyncConnection, report: Report) -> Outbound:
    """Show a report in full, offering its minutes."""
    code = report_code(report.id)
    text = f"{await render(conn, report)}\n\n{td.minutes_hint(code)}"
    return Outbound(text, options=(Option(td.EXPORT_MINUTES, f"/bienban {code}"),))


async def draft_lines(ctx: Ctx, cell_id: int) -> list[str]:
    """Describe the unsent drafts the cell's leaders saved for later."""
    lines = []
    for person_id, _, _ in await accounts.cell_leaders(ctx.conn, cell_id):
        saved = await ctx.flows.saved_draft(ctx.conn, person_id, "report")
        if saved is None or saved.state.params.get("cell_id") != cell_id:
            continue
        answers = saved.state.draft
        month = t.month_label(*month_of(answers["month"])) if "month" in answers else t.DRAFT_UNKNOWN
        kind = t.KIND_LABELS.get(answers.get("kind", ""), t.DRAFT_UNKNOWN)
        saved_at = fmt_datetime(saved.state.saved_at) if saved.state.saved_at else t.DRAFT_UNKNOWN
        lines.append(t.draft_line(month, kind, saved_at))
    return lines


async def _cell_menu(ctx: Ctx, committee_id: int) -> Outbound:
    """Offer the committee's cells, each with how many reports it filed; picking one lists them."""
    counts = await reports.report_counts(ctx.conn, committee_id)
    options = tuple(
        command_option(t.cell_option(cell.name, counts.get(cell.id, 0)), VIEW, cell.name)
        for cell in await org.list_cells(ctx.conn, committee_id)
    )
    return Outbound(t.ASK_CELL, options=options)


async def _report_list(ctx: Ctx, cell: org.Cell, *, committee: bool) -> Outbound:
    """List a cell's newest reports and drafts; each report opens by its command, nothing stays open."""
    filed = await reports.list_reports(ctx.conn, cell.id)
    drafts = await draft_lines(ctx, cell.id)
    if not filed:
        hint = t.BACK_TO_CELLS if committee else t.NO_REPORTS_HINT
        return Outbound("\n".join([t.no_reports(cell.name), *drafts, hint]))
    options = tuple(
        command_option(report_option(summary).label, VIEW, report_code(summary.id))
        for summary in filed[:REPORT_OPTIONS]
    )
    return Outbound(t.ask_report(cell.name, drafts, max(0, len(filed) - REPORT_OPTIONS)), options=options)


async def _committee_cell(ctx: Ctx, committee_id: int, name: str) -> org.Cell | None:
    """Return the committee's cell a typed name picks, or None."""
    cells = await org.list_cells(ctx.conn, committee_id)
    try:
        return cells[match_choice(name, [cell.name for cell in cells])]
    except ParseError:
        return None


async def view_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Open the report a code names, or list the reports of the cell (or, for the committee, a cell)."""
    me = ctx.me
    report_id = parse_report_code(args) if args else None
    if report_id is not None:
        report = await report_in_reach(ctx.conn, me, report_id)
        if report is None:
            return [Outbound(t.report_not_found(args))]
        return [await shown(ctx.conn, report)]
    if me.is_committee:
        committee_id = min(me.committee_ids)
        if not args:
            return [await _cell_menu(ctx, committee_id)]
        picked = await _committee_cell(ctx, committee_id, args)
        if picked is None:
            return [Outbound(t.report_not_found(args)), await _cell_menu(ctx, committee_id)]
        return [await _report_list(ctx, picked, committee=True)]
    cell = me.led_cell
    if cell is None or cell.cell_id is None:
        return [Outbound(t.no_cell())]
    if args:
        return [Outbound(t.report_not_found(args))]
    return [await _report_list(ctx, await org.get_cell(ctx.conn, cell.cell_id), committee=False)]


async def minutes_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Send the minutes of the report a code names, as a Word file; without a code, say how to pick one."""
    report_id = parse_report_code(args) if args else None
    report = await report_in_reach(ctx.conn, ctx.me, report_id) if report_id is not None else None
    if report is None:
        return [Outbound(t.report_not_found(args) if args else td.MINUTES_WHICH)]
    found = await minutes_of(ctx.conn, report.id)
    if found is None:
        return [Outbound(t.report_not_found(args))]
    name, content = found
    return [Outbound(td.minutes_sent(name), document=content, document_name=name)]


COMMANDS = [
    Command(
        "bienban",
        minutes_command,
        CELL_AND_COMMITTEE,
        help=td.HELP_MINUTES,
        aliases=("xuat bien ban", "bien ban"),
    ),
    Command(
        "xembaocao",
        view_command,
        CELL_AND_COMMITTEE,
        help=t.HELP_VIEW,
        aliases=("xem bao cao",),
    ),
]
FORMS: list = []
