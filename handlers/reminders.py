"""Snooze and mute: /hoanlai (the button on a reminder), /tatnhac and /batnhac."""

from __future__ import annotations

from datetime import timedelta

from core.commands import EVERYONE, Command
from core.context import Ctx
from core.messages import Option, Outbound, command_option
from core.parsing import ParseError, is_number, match_choice
from domain import calendar
from domain.clock import fmt_datetime
from domain.words import normalize
from storage import outbox, reminders
from storage.outbox import OutboxRow
from texts import reminders as t

SNOOZE_BY = timedelta(days=1)
SNOOZE_MARK = ":hoan:"


async def snooze_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Plan the reminder again a day later, for the person it was sent to."""
    row = await outbox.get_row(ctx.conn, int(args)) if is_number(args.strip()) else None
    if row is None or row.person_id != ctx.me.person_id or row.kind not in calendar.SNOOZABLE_KINDS:
        return [Outbound(t.snooze_not_found())]
    due_at = ctx.now + SNOOZE_BY
    if row.expires_at is not None and due_at >= row.expires_at:
        return [Outbound(t.snooze_too_late(row.kind))]
    # The first snooze of a day counts; pressing the button again changes nothing.
    base = row.period.split(SNOOZE_MARK)[0]
    await outbox.plan(
        ctx.conn,
        outbox.target_of(row),
        Outbound.from_json(row.payload),
        kind=row.kind,
        key=f"{base}{SNOOZE_MARK}{(ctx.today + SNOOZE_BY).isoformat()}",
        due_at=due_at,
        now=ctx.now,
        expires_at=row.expires_at,
    )
    return [Outbound(t.snoozed(row.kind, fmt_datetime(due_at)))]


def reminder_buttons(row: OutboxRow) -> tuple[Option, ...]:
    """Offer «Nhắc lại sau 1 ngày» on a reminder, and «Tắt loại nhắc này» where its kind may be muted."""
    extra: list[Option] = []
    if row.kind in calendar.SNOOZABLE_KINDS:
        extra.append(command_option(t.SNOOZE, "hoanlai", str(row.id)))
    if row.kind in calendar.MUTABLE_KINDS:
        extra.append(command_option(t.MUTE, "tatnhac", row.kind))
    return tuple(extra)


def _kind_from(text: str, kinds: tuple[str, ...] | list[str]) -> str:
    """Read a kind of reminder from its code or its Vietnamese name."""
    if normalize(text) in kinds:
        return normalize(text)
    return kinds[match_choice(text, [t.kind_name(kind) for kind in kinds])]


def _kind_buttons(command: str, kinds: list[str] | tuple[str, ...]) -> tuple[Option, ...]:
    """Offer kinds of reminder as buttons that run a command."""
    return tuple(command_option(t.kind_name(kind), command, kind) for kind in kinds)


async def mute_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Mute a kind of reminder for the sender; an inspection reminder cannot be muted."""
    person_id = ctx.me.person_id
    if not args:
        current = sorted(await reminders.muted_kinds(ctx.conn, person_id))
        choices = [kind for kind in calendar.MUTABLE_KINDS if kind not in current]
        return [Outbound(t.choose_mute(current), options=_kind_buttons("tatnhac", choices))]
    if normalize(args) in (calendar.INSPECTION_REMINDER, calendar.INSPECTION_NOTICE):
        return [Outbound(t.cannot_mute(normalize(args)))]
    try:
        kind = _kind_from(args, calendar.MUTABLE_KINDS)
    except ParseError:
        labels = [t.kind_name(kind) for kind in calendar.MUTABLE_KINDS]
        return [Outbound(t.unknown_kind(labels), options=_kind_buttons("tatnhac", calendar.MUTABLE_KINDS))]
    if not await reminders.mute(ctx.conn, person_id, kind, ctx.now):
        return [Outbound(t.already_muted(kind))]
    return [Outbound(t.muted(kind))]


async def unmute_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Turn a muted kind of reminder back on."""
    current = sorted(await reminders.muted_kinds(ctx.conn, ctx.me.person_id))
    if not current:
        return [Outbound(t.nothing_muted())]
    if not args:
        return [Outbound(t.choose_unmute(), options=_kind_buttons("batnhac", current))]
    try:
        kind = _kind_from(args, current)
    except ParseError:
        return [
            Outbound(
                t.unknown_kind([t.kind_name(k) for k in current]), options=_kind_buttons("batnhac", current)
            )
        ]
    await reminders.unmute(ctx.conn, ctx.me.person_id, kind)
    return [Outbound(t.unmuted(kind))]


COMMANDS = [
    Command("hoanlai", snooze_command, EVERYONE, help=""),
    Command("tatnhac", mute_command, EVERYONE, help=t.HELP_MUTE, aliases=("tat nhac",)),
    Command("batnhac", unmute_command, EVERYONE, help=t.HELP_UNMUTE, aliases=("bat nhac",)),
]
FORMS: list = []
