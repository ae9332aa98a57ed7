"""What the bot does, one module per feature; each exports COMMANDS and FORMS."""

from __future__ import annotations

from core.commands import Command
from core.forms import Form
from handlers import (
    digest,
    exports,
    inspections,
    invites,
    linking,
    members,
    menu,
    pledges,
    reminders,
    report,
    report_amend,
    report_view,
    start,
    web,
)

MODULES = (
    start,
    menu,
    invites,
    members,
    pledges,
    report,
    report_amend,
    report_view,
    inspections,
    reminders,
    linking,
    digest,
    exports,
    web,
)


def all_commands() -> list[Command]:
    """Return every feature's commands."""
    return [command for module in MODULES for command in module.COMMANDS]


def all_forms() -> list[Form]:
    """Return every feature's forms."""
    return [form for module in MODULES for form in module.FORMS]
