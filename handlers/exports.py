"""/xuat: a period's data as XLSX or its report as DOCX; committee any cell or the ward, secretary own."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from core.commands import CELL_AND_COMMITTEE, Command
from core.context import Ctx
from core.forms import Form, FormCtx, Step, without_param
from core.messages import Option, Outbound
from core.parsing import parse_period
from domain.digest import QUARTER, YEAR, Period, report_month
from domain.meetings import quarter_of
from domain.words import normalize
from handlers.choices import committee_cells
from reports import exports
from reports.export_data import Scope
from storage import org
from texts import digest as td
from texts import exports as t

WARD = "ward"
FORMAT_LABELS = {exports.XLSX: t.FORMAT_XLSX, exports.DOCX: t.FORMAT_DOCX}


def period_value(period: Period) -> str:
    """Encode a period as a short draft value."""
    return f"{period.kind}:{period.year}:{period.index}"


def value_period(value: str) -> Period:
    """Decode a period stored by `period_value`."""
    kind, year, index = value.split(":")
    return Period(kind, int(year), int(index))


async def _scope_options(fctx: FormCtx) -> list[Option]:
    """Offer the whole ward, then each of the committee's cells."""
    return [Option(t.WARD, WARD), *await committee_cells(fctx)]


async def _period_options(fctx: FormCtx) -> list[Option]:
    """Offer the reporting month, this quarter and this year."""
    today = fctx.ctx.today
    choices = (
        (t.THIS_MONTH, report_month(today)),
        (t.THIS_QUARTER, Period(QUARTER, today.year, quarter_of(today.month))),
        (t.THIS_YEAR, Period(YEAR, today.year, 1)),
    )
    return [
        Option(f"{label} ({td.period_label(p.kind, p.year, p.index)})", period_value(p))
        for label, p in choices
    ]


def _scope(fctx: FormCtx) -> Scope:
    """Return what the answers ask to export; a secretary's cell is fixed by the flow's parameters."""
    committee_id = fctx.params["committee_id"]
    if "cell_id" in fctx.params:
        return Scope(committee_id, fctx.params["cell_id"])
    chosen = fctx.draft["scope"]
    return Scope(committee_id, None if chosen == WARD else int(chosen))


async def _submit(fctx: FormCtx) -> list[Outbound]:
    """Send the file as a document, built once the answers are committed."""
    ctx = fctx.ctx
    fmt = fctx.draft["format"]
    job = partial(
        exports.build, ctx.services.db, _scope(fctx), value_period(fctx.draft["period"]), fmt, ctx.today
    )
    return [Outbound.made_later(partial(_file_message, job))]


async def _file_message(job: Callable[[], Awaitable[tuple[str, bytes]]]) -> Outbound:
    """Build the file and caption it with its name."""
    name, content = await job()
    return Outbound(t.file_sent(name), document=content, document_name=name)


async def _parse_period(fctx: FormCtx, text: str) -> str:
    """Accept a month, quarter or year typed."""
    return period_value(parse_period(text, fctx.ctx.today))


EXPORT_FORM = Form(
    name="export",
    title=t.EXPORT_TITLE,
    command="xuat",
    confirm=False,
    keep_drafts=False,
    steps=(
        Step(
            key="scope",
            label=t.LABEL_SCOPE,
            prompt=t.ASK_SCOPE,
            options=_scope_options,
            when=without_param("cell_id"),
        ),
        Step(
            key="format",
            label=t.LABEL_FORMAT,
            prompt=t.ASK_FORMAT,
            options=[Option(label, fmt) for fmt, label in FORMAT_LABELS.items()],
        ),
        Step(
            key="period",
            label=t.LABEL_PERIOD,
            prompt=t.ASK_PERIOD,
            options=_period_options,
            parse=_parse_period,
        ),
    ),
    submit=_submit,
)


async def export_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Start the export; a cell named after the command is checked against what the sender may see."""
    me = ctx.me
    own = me.led_cell
    own_cell_id = me.led_cell_id
    if me.is_committee:
        committee_id = min(me.committee_ids)
    elif own is not None and own_cell_id is not None:
        committee_id = own.committee_id
    else:
        return [Outbound(t.no_cell())]
    params: dict[str, int] = {"committee_id": committee_id}
    if args:
        # Names are unique within a committee only: another committee's cell of that name is not meant.
        cells = await org.list_cells(ctx.conn, committee_id)
        named = [c for c in cells if normalize(c.name) == normalize(args)]
        if not named:
            return [Outbound(t.unknown_cell(args))]
        cell = named[0]
        if cell.committee_id not in me.committee_ids and not me.can_edit_cell(cell.id):
            return [Outbound(t.not_your_cell((own.cell_name if own else None) or ""))]
        params = {"committee_id": cell.committee_id, "cell_id": cell.id}
    elif not me.is_committee and own_cell_id is not None:
        params["cell_id"] = own_cell_id
    return await ctx.flows.start(ctx, "export", params)


COMMANDS = [
    Command(
        "xuat",
        export_command,
        CELL_AND_COMMITTEE,
        help=t.HELP_EXPORT,
        aliases=("xuat du lieu", "xuat"),
        starts_flow=True,
    ),
]
FORMS = [EXPORT_FORM]
