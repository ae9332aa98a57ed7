"""/tonghop: the committee digest; /bieudo: its chart; /nhomtonghop: a Telegram group for the digests."""

from __future__ import annotations

from functools import partial

from core.commands import COMMITTEE_ONLY, Command
from core.context import Ctx
from core.messages import Outbound
from core.parsing import ParseError, parse_period
from domain.digest import DIGEST_CHAT, Period, report_month
from handlers import access
from reports import chart, digest
from storage import org
from texts import digest as t


def committee_of(ctx: Ctx) -> int:
    """Return the committee whose digest this committee member reads (the command is theirs only)."""
    committee_id = access.committee_of(ctx.me)
    if committee_id is None:
        raise LookupError("a committee command reached without a committee role")
    return committee_id


def period_of(ctx: Ctx, args: str) -> Period:
    """Return the period typed after the command, or the month whose reports are being collected."""
    return parse_period(args, ctx.today) if args.strip() else report_month(ctx.today)


async def digest_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Send the digest of a month, a quarter or a year."""
    try:
        period = period_of(ctx, args)
    except ParseError as error:
        return [Outbound(error.reason)]
    db, committee_id, today = ctx.services.db, committee_of(ctx), ctx.today
    return [Outbound.made_later(partial(digest.build_message, db, committee_id, period, today))]


async def chart_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Send the chart of the last months: on-time reports, attendance, pledge progress."""
    db, committee_id, today = ctx.services.db, committee_of(ctx), ctx.today
    return [Outbound.made_later(partial(chart.build_message, db, committee_id, today))]


async def group_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Register the Telegram group this is typed in to receive the committee's periodic digests."""
    inbound = ctx.inbound
    if inbound.channel != "telegram" or not inbound.group:
        return [Outbound(t.group_only_telegram())]
    committee_id = committee_of(ctx)
    await org.update_committee_settings(
        ctx.conn, committee_id, {DIGEST_CHAT: {"channel": inbound.channel, "chat_id": inbound.chat_id}}
    )
    committee = await org.get_committee(ctx.conn, committee_id)
    return [Outbound(t.group_registered(committee.name))]


COMMANDS = [
    Command("tonghop", digest_command, COMMITTEE_ONLY, help=t.HELP_DIGEST, aliases=("tong hop",)),
    Command("bieudo", chart_command, COMMITTEE_ONLY, help=t.HELP_CHART, aliases=("bieu do",)),
    Command("nhomtonghop", group_command, COMMITTEE_ONLY, help=t.HELP_GROUP, in_group=True),
]
FORMS: list = []
