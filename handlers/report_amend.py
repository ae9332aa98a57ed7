"""/suabaocao: a cell's leader amends a filed report, picked from a list or named by its code."""

from __future__ import annotations

from typing import Any

from core.commands import LEADERS, Command
from core.context import Ctx
from core.forms import Form, FormCtx, FormError, Step
from core.messages import Option, Outbound
from domain.attendance import ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON
from handlers.report import STEPS, Roster, cell_id_of, check_leader, content_of, load_roster, notify_committee
from handlers.report_codes import (
    cell_report_options,
    month_value,
    parse_report_code,
    report_code,
    report_in_cell,
)
from storage import org, reports
from storage.reports import Report
from texts import report as t


def answers_of(report: Report, roster: Roster) -> dict[str, Any]:
    """Return a filed report as form answers, so amending starts from what it says."""
    content = report.content
    absent_statuses = (ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON)
    entries = {e.member_id: e for e in content.attendance if e.status in absent_statuses}
    absent = [m.id for m in roster.expected if m.id in entries]
    answers: dict[str, Any] = {
        "month": month_value(content.year, content.month),
        "kind": content.kind,
        "date": content.meeting_date.isoformat(),
        "start_time": content.start_time,
        "end_time": content.end_time,
        "place": content.place,
        "guests": content.guests,
        "vote": f"{content.vote_for}/{content.vote_against}" if content.vote_for is not None else None,
        "absent": absent,
        "chair": content.chair_member_id,
        "minutes": content.minutes_member_id,
        "study": content.study,
        "documents": content.documents,
        "review": content.review,
        "resolution": content.resolution,
        "quality": content.quality,
    }
    if content.topic is not None:
        answers["topic"] = content.topic
    answers["reasons"] = [entries[member_id].reason or "" for member_id in absent]
    return answers


async def _amend(fctx: FormCtx) -> list[Outbound]:
    """Keep the changed report as a new revision and tell the committee."""
    ctx = fctx.ctx
    await check_leader(fctx)
    report_id = fctx.params["report_id"]
    before = await reports.get_report(ctx.conn, report_id)
    if before is None or before.cell_id != cell_id_of(fctx):
        raise LookupError("amended report is not the cell's")
    content = await content_of(fctx)
    code = report_code(report_id)
    changes = content.changed_fields(before.content)
    if not changes:
        return [Outbound(t.nothing_changed(code))]
    labels = list(dict.fromkeys(t.FIELD_LABELS[name] for name in changes))
    revision = await reports.amend_report(
        ctx.conn,
        report_id,
        content,
        changes,
        now=ctx.now,
        person_id=ctx.me.person_id,
        account_id=ctx.me.account_id,
    )
    await ctx.audit("meeting_report", report_id, "amended", {"revision": revision, "changes": changes})
    cell = await org.get_cell(ctx.conn, before.cell_id)
    notice = t.notice_amended(cell.name, code, t.month_label(content.year, content.month), revision, labels)
    notified = await notify_committee(ctx, before.cell_id, report_id, revision, notice)
    return [Outbound(t.amended(code, revision, labels, notified, ctx.notices_held_until))]


async def _amend_intro(fctx: FormCtx) -> str:
    """Name the report being amended."""
    cell = await org.get_cell(fctx.ctx.conn, cell_id_of(fctx))
    return t.amend_intro(report_code(fctx.params["report_id"]), cell.name)


AMEND_FORM = Form(
    name="report_amend",
    title=t.AMEND_TITLE,
    command="suabaocao",
    steps=STEPS,
    submit=_amend,
    intro=_amend_intro,
)


async def start_amending(ctx: Ctx, report: Report) -> list[Outbound]:
    """Open the amendment form on a filed report."""
    roster = await load_roster(ctx.conn, report.cell_id, report.content.meeting_date)
    params = {"cell_id": report.cell_id, "report_id": report.id}
    return await ctx.flows.start(ctx, "report_amend", params, answers=answers_of(report, roster))


async def _pick_options(fctx: FormCtx) -> list[Option]:
    """Offer the cell's newest reports to amend."""
    return await cell_report_options(fctx.ctx.conn, cell_id_of(fctx))


async def _pick_prompt(fctx: FormCtx) -> str:
    """Ask which report to amend."""
    return t.ask_pick((await org.get_cell(fctx.ctx.conn, cell_id_of(fctx))).name)


async def _picked(fctx: FormCtx) -> list[Outbound]:
    """Open the amendment of the picked report."""
    report = await reports.get_report(fctx.ctx.conn, int(fctx.draft["report"]))
    if report is None or report.cell_id != cell_id_of(fctx):
        raise FormError("report", t.code_unknown(fctx.draft["report"]))
    return await start_amending(fctx.ctx, report)


async def _parse_report_code(fctx: FormCtx, text: str) -> str:
    """Accept the code of one of the cell's reports."""
    return await report_in_cell(fctx.ctx.conn, cell_id_of(fctx), text)


PICK_FORM = Form(
    name="report_pick",
    title=t.PICK_TITLE,
    command="suabaocao",
    confirm=False,
    keep_drafts=False,
    steps=(
        Step(
            key="report",
            label=t.LABEL_REPORT,
            prompt=_pick_prompt,
            options=_pick_options,
            parse=_parse_report_code,
        ),
    ),
    submit=_picked,
)


async def amend_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Amend the report a code names, or ask which of the cell's reports to amend."""
    cell = ctx.me.led_cell
    if cell is None or cell.cell_id is None:
        return [Outbound(t.no_cell())]
    if args:
        report_id = parse_report_code(args)
        report = await reports.get_report(ctx.conn, report_id) if report_id is not None else None
        if report is None or not ctx.me.can_edit_cell(report.cell_id):
            return [Outbound(t.report_not_found(args))]
        return await start_amending(ctx, report)
    if not await reports.list_reports(ctx.conn, cell.cell_id):
        return [Outbound(f"{t.no_reports(cell.cell_name or '')} {t.NO_REPORTS_HINT}")]
    return await ctx.flows.start(ctx, "report_pick", {"cell_id": cell.cell_id})


COMMANDS = [
    Command(
        "suabaocao", amend_command, LEADERS, help=t.HELP_AMEND, aliases=("sua bao cao",), starts_flow=True
    ),
]
FORMS = [AMEND_FORM, PICK_FORM]
