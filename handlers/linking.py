"""/lienket and /kenhnhac: one person on both Telegram and Zalo, and where their reminders go."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from core.commands import EVERYONE, Command
from core.context import Ctx
from core.forms import Form, FormCtx, Step
from core.messages import Option, Outbound
from domain.clock import fmt_datetime
from storage import accounts, linking
from texts import linking as t

# Long enough to switch apps on a phone, short enough that a forwarded code soon stops working.
LINK_CODE_TTL = timedelta(hours=1)


async def linked_channels(conn: AsyncConnection, person_id: int) -> list[str]:
    """Return the channels a person has accounts on, the one reminders go to first."""
    channels: list[str] = []
    for ref in await accounts.person_accounts(conn, person_id):
        if ref.channel not in channels:
            channels.append(ref.channel)
    return channels


async def link_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Give a one-time code that binds another app's account to the sender."""
    me = ctx.me
    grant = me.grants[0]
    invite = await accounts.create_invite(
        ctx.conn,
        role=grant.role,
        committee_id=grant.committee_id,
        cell_id=grant.cell_id,
        now=ctx.now,
        ttl=LINK_CODE_TTL,
        full_name=me.full_name,
        title=grant.title,
        person_id=me.person_id,
        created_by=me.person_id,
    )
    await ctx.audit("invite", invite.id, "link_code_created", {"channel": ctx.inbound.channel})
    channels = await linked_channels(ctx.conn, me.person_id)
    names = [t.channel_name(c) for c in channels]
    return [Outbound(t.link_code(invite.code, fmt_datetime(invite.expires_at), names, names[0]))]


async def reminder_app_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Ask which linked app gets reminders, when there is a choice."""
    channels = await linked_channels(ctx.conn, ctx.me.person_id)
    if len(channels) < 2:
        return [Outbound(t.only_one_app(t.channel_name(channels[0] if channels else ctx.inbound.channel)))]
    return await ctx.flows.start(ctx, "reminder_app")


async def _app_options(fctx: FormCtx) -> list[Option]:
    """Offer the apps the person has linked."""
    return [Option(t.channel_name(c), c) for c in await linked_channels(fctx.ctx.conn, fctx.ctx.me.person_id)]


async def _app_prompt(fctx: FormCtx) -> str:
    """Ask, saying where reminders go now."""
    channels = await linked_channels(fctx.ctx.conn, fctx.ctx.me.person_id)
    return t.ask_reminder_app(t.channel_name(channels[0]))


async def _set_app(fctx: FormCtx) -> list[Outbound]:
    """Keep the chosen app as the person's reminder channel."""
    ctx, channel = fctx.ctx, fctx.draft["app"]
    await linking.set_reminder_channel(ctx.conn, ctx.me.person_id, channel)
    await ctx.audit("person", ctx.me.person_id, "reminder_channel_set", {"channel": channel})
    return [Outbound(t.reminder_app_set(t.channel_name(channel)))]


REMINDER_APP_FORM = Form(
    name="reminder_app",
    title=t.REMINDER_APP_TITLE,
    command="kenhnhac",
    confirm=False,
    keep_drafts=False,
    steps=(Step(key="app", label=t.LABEL_APP, prompt=_app_prompt, options=_app_options),),
    submit=_set_app,
)

COMMANDS = [
    Command("lienket", link_command, EVERYONE, help=t.HELP_LINK, aliases=("lien ket",)),
    Command(
        "kenhnhac",
        reminder_app_command,
        EVERYONE,
        help=t.HELP_REMINDER_APP,
        aliases=("kenh nhac",),
        starts_flow=True,
    ),
]
FORMS = [REMINDER_APP_FORM]
