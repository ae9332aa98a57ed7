"""/web: a one-time link that logs this person in to the read-only web view; /dangxuat ends their sessions."""

from __future__ import annotations

from datetime import timedelta

from core.commands import EVERYONE, Command
from core.context import Ctx
from core.messages import Outbound
from storage import web
from texts import web as t


async def web_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Send a link, valid once and for a few minutes, that opens the web view as the sender."""
    base = ctx.services.settings.public_base_url
    if not base:
        return [Outbound(t.NO_PUBLIC_BASE_URL)]
    me = ctx.me
    token = await web.create_link(
        ctx.conn, me.person_id, me.account_id, ctx.now, timedelta(minutes=web.LINK_MINUTES)
    )
    await ctx.audit("web_link", me.person_id, "issued")
    url = f"{base.rstrip('/')}{web.LOGIN_PATH}/{token}"
    return [Outbound(t.link_sent(url, web.LINK_MINUTES, ctx.services.settings.web_session_hours))]


async def logout_command(ctx: Ctx, args: str) -> list[Outbound]:
    """End every web session of the sender, on every computer."""
    ended = await web.end_sessions(ctx.conn, ctx.me.person_id, ctx.now)
    await ctx.audit("web_session", ctx.me.person_id, "logout", {"sessions": ended})
    return [Outbound(t.logged_out(ended))]


COMMANDS = [
    Command("web", web_command, EVERYONE, help=t.HELP_WEB, aliases=("trang web", "xem tren may tinh")),
    Command("dangxuat", logout_command, EVERYONE, help=t.HELP_LOGOUT, aliases=("dang xuat",)),
]
FORMS: list = []
