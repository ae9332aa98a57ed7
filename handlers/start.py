"""Joining: /start CODE binds a chat account to the role an invite grants."""

from __future__ import annotations

import re
from datetime import timedelta

from core.commands import EVERYONE, Command
from core.context import Ctx
from core.forms import Form, FormCtx, FormError, Step
from core.messages import Option, Outbound
from core.parsing import ParseError
from domain.clock import LOCAL_TZ, fmt_date, fmt_datetime
from domain.identity import RoleGrant
from handlers.linking import linked_channels
from handlers.menu import welcome
from storage import accounts, audit, org
from storage.accounts import Invite
from texts import accounts as t
from texts import common as tc
from texts.linking import channel_name

# Wrong codes an account or a chat may type within the window before code entry pauses.
MAX_WRONG_CODES = 5
WRONG_CODE_WINDOW = timedelta(minutes=10)
NAME_PATTERN = re.compile(r"^[^\W\d_]+(?:[ '-][^\W\d_]+)+$")
# A full name as typed, at most: the steps that ask one say so before the name's own checks.
MAX_FULL_NAME = 100


def invite_problem(ctx: Ctx, invite: Invite | None, code: str) -> str | None:
    """Return why a code cannot be used now, or None when it can."""
    if invite is None:
        return t.invite_not_found(code)
    if invite.used_at is not None:
        return t.invite_used(invite.code)
    if invite.expires_at <= ctx.now:
        return t.invite_expired(invite.code, fmt_date(invite.expires_at.astimezone(LOCAL_TZ).date()))
    return None


async def link_problem(ctx: Ctx, invite: Invite) -> str | None:
    """Return why a link code cannot make this account its person, or None when it can.

    A link code is for the other app, or for an account nobody has yet: otherwise anyone on the
    same app holding the code would become its person.
    """
    if invite.person_id is None or ctx.identity is None:
        return None
    if ctx.identity.person_id == invite.person_id:
        return t.link_code_is_yours()
    channel = ctx.inbound.channel
    if channel in await linked_channels(ctx.conn, invite.person_id):
        return t.link_code_same_app(channel_name(channel))
    return None


async def describe_role(ctx: Ctx, invite: Invite) -> str:
    """Name the role an invite grants, e.g. «Bí thư Chi bộ 12»."""
    committee = await org.get_committee(ctx.conn, invite.committee_id)
    cell_name = (await org.get_cell(ctx.conn, invite.cell_id)).name if invite.cell_id else None
    grant = RoleGrant(invite.role, committee.id, committee.name, invite.cell_id, cell_name, invite.title)
    return tc.role_title(grant)


async def start_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Greet a known person, or check a code and open the joining flow."""
    code = accounts.normalize_code(args)
    if not code:
        if ctx.identity is None:
            return [Outbound(tc.unknown_account())]
        return welcome(ctx, ctx.identity)
    inbound = ctx.inbound
    paused = await _paused_until(ctx)
    if paused is not None:
        return [Outbound(paused)]
    invite = await accounts.find_invite(ctx.conn, code)
    if invite is None:
        await accounts.record_wrong_code(
            ctx.conn, inbound.channel, inbound.chat_id, inbound.sender_id, ctx.now, WRONG_CODE_WINDOW
        )
    problem = invite_problem(ctx, invite, args.strip())
    if problem is not None or invite is None:
        return [Outbound(problem or t.invite_not_found(code))]
    refused = await link_problem(ctx, invite)
    if refused is not None:
        return [Outbound(refused)]
    needs_name = invite.full_name is None and invite.person_id is None and ctx.identity is None
    return await ctx.flows.start(ctx, "join", {"code": code, "needs_name": needs_name})


async def _paused_until(ctx: Ctx) -> str | None:
    """Say until when code entry is paused for this account and chat, or None when it is not."""
    inbound = ctx.inbound
    since = ctx.now - WRONG_CODE_WINDOW
    wrong = await accounts.wrong_codes_since(
        ctx.conn, inbound.channel, inbound.chat_id, inbound.sender_id, since
    )
    if len(wrong) < MAX_WRONG_CODES:
        return None
    # Entry opens again when the wrong codes of the last window are fewer than the limit.
    until = wrong[-MAX_WRONG_CODES] + WRONG_CODE_WINDOW
    minutes = int(WRONG_CODE_WINDOW.total_seconds() // 60)
    return t.too_many_wrong_codes(len(wrong), minutes, fmt_datetime(until))


async def _invite(fctx: FormCtx) -> Invite:
    """Return the invite the joining flow is about."""
    invite = await accounts.find_invite(fctx.ctx.conn, fctx.params["code"])
    if invite is None:
        raise LookupError("invite vanished during the joining flow")
    return invite


async def parse_full_name(fctx: FormCtx, text: str) -> str:
    """Accept a full name of at least two words."""
    name = " ".join(text.split())
    if not NAME_PATTERN.match(name) or len(name) > MAX_FULL_NAME:
        raise ParseError(t.bad_full_name())
    return name.title() if name.islower() or name.isupper() else name


async def _needs_name(fctx: FormCtx) -> bool:
    """Tell whether the invite leaves the joiner's name to be asked."""
    return bool(fctx.params.get("needs_name", False))


async def _confirm_prompt(fctx: FormCtx) -> str:
    """Say who the invite is for and ask to confirm."""
    invite = await _invite(fctx)
    name = fctx.draft.get("full_name") or invite.full_name
    role = await describe_role(fctx.ctx, invite)
    current = fctx.ctx.identity
    if invite.person_id is not None and current is not None and current.person_id != invite.person_id:
        current_roles = ", ".join(tc.role_title(g) for g in current.grants)
        return t.confirm_switch(current.full_name, current_roles, name or "", role)
    return t.confirm_invite(name, role)


async def _join(fctx: FormCtx) -> list[Outbound]:
    """Bind this account to the invite's person and role."""
    ctx = fctx.ctx
    if fctx.draft["confirm"] != "yes":
        return [Outbound(t.not_me())]
    invite = await accounts.find_invite(ctx.conn, fctx.params["code"])
    problem = invite_problem(ctx, invite, fctx.params["code"])
    if problem is not None or invite is None:
        raise FormError("confirm", problem or t.invite_not_found(fctx.params["code"]))
    refused = await link_problem(ctx, invite)
    if refused is not None:
        return [Outbound(refused)]
    inbound = ctx.inbound
    # A code made for an existing person (/lienket) binds this account to that person.
    if invite.person_id is not None:
        person_id = invite.person_id
    elif ctx.identity is not None:
        person_id = ctx.identity.person_id
    else:
        full_name = fctx.draft.get("full_name") or invite.full_name or inbound.sender_name or ""
        person_id = await accounts.create_person(ctx.conn, full_name, ctx.now, invite.member_id)
    await accounts.grant_role(
        ctx.conn, person_id, invite.role, invite.committee_id, invite.cell_id, ctx.now, invite.title
    )
    account_id = await accounts.bind_account(
        ctx.conn, person_id, inbound.channel, inbound.sender_id, inbound.chat_id, inbound.sender_name, ctx.now
    )
    if not await accounts.mark_invite_used(ctx.conn, invite.id, account_id, ctx.now):
        raise FormError("confirm", t.invite_used(invite.code))
    await audit.record(
        ctx.conn,
        at=ctx.now,
        person_id=person_id,
        account_id=account_id,
        entity="invite",
        entity_id=invite.id,
        action="used",
        detail={"role": invite.role, "cell_id": invite.cell_id},
    )
    identity = await accounts.identify(ctx.conn, inbound.channel, inbound.sender_id)
    if identity is None:
        raise LookupError("account not found right after binding it")
    return welcome(ctx, identity)


JOIN_FORM = Form(
    name="join",
    title=t.JOIN_TITLE,
    command=None,
    confirm=False,
    keep_drafts=False,
    steps=(
        Step(
            key="full_name",
            label=t.LABEL_NAME,
            prompt=t.ask_full_name(),
            parse=parse_full_name,
            when=_needs_name,
            max_length=MAX_FULL_NAME,
        ),
        Step(
            key="confirm",
            label=t.CONFIRM,
            prompt=_confirm_prompt,
            options=(Option(t.CONFIRM, "yes"), Option(t.NOT_ME, "no")),
        ),
    ),
    submit=_join,
)

COMMANDS = [Command("start", start_command, EVERYONE, help="", aliases=("bat dau",), public=True)]
FORMS = [JOIN_FORM]
