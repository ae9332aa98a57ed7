"""The role menu: /help, and the greeting shown after joining."""

from __future__ import annotations

from core.commands import EVERYONE, Command
from core.context import Ctx
from core.messages import Outbound, command_option
from domain.identity import Identity
from texts import common as t

# The buttons worth a thumb on a phone; every command is still listed in the text.
MENU_BUTTON_LIMIT = 6


def role_menu(ctx: Ctx, identity: Identity) -> Outbound:
    """List the commands this person may run, with buttons for the main ones."""
    allowed = [c for c in ctx.commands.values() if not c.public and c.help and c.allowed(identity.roles)]
    lines = [t.help_line(c.name, c.help) for c in allowed]
    buttons = tuple(command_option(c.help, c.name) for c in allowed if c.starts_flow)[:MENU_BUTTON_LIMIT]
    return Outbound(t.menu(lines), options=buttons, numbered=False, options_in_text=False)


def welcome(ctx: Ctx, identity: Identity) -> list[Outbound]:
    """Greet a person by name and role, then show their menu."""
    return [Outbound(t.greeting(identity.full_name, identity.grants)), role_menu(ctx, identity)]


async def help_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Show the sender's menu, or how to join for an unknown account."""
    if ctx.identity is None:
        return [Outbound(t.unknown_account())]
    return [role_menu(ctx, ctx.identity)]


async def cancel_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Stand in for /huy, which the router itself handles before any command runs."""
    return [Outbound(t.nothing_to_cancel())]


COMMANDS = [
    Command(
        "help", help_command, EVERYONE, help="", aliases=("tro giup", "giup", "help", "menu"), public=True
    ),
    Command("huy", cancel_command, EVERYONE, help=t.HELP_CANCEL),
]
FORMS: list = []
