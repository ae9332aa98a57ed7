"""/moi: a committee member creates an invite code in chat."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from core.commands import COMMITTEE_ONLY, Command
from core.context import Ctx
from core.forms import Form, FormCtx, Step
from core.messages import Option, Outbound
from domain.clock import LOCAL_TZ, fmt_date
from domain.identity import MEMBER
from handlers.choices import committee_cells
from handlers.start import MAX_FULL_NAME, describe_role, parse_full_name
from storage import accounts, org
from texts import accounts as t
from texts import common as tc


async def invite_command(ctx: Ctx, args: str) -> list[Outbound]:
    """Open the invite form for the sender's committee."""
    committee_id = min(ctx.me.committee_ids)
    return await ctx.flows.start(ctx, "invite", {"committee_id": committee_id})


async def _create(fctx: FormCtx) -> list[Outbound]:
    """Create the invite and hand over its code."""
    ctx, draft = fctx.ctx, fctx.draft
    member_id, full_name = await _roster_row(fctx)
    invite = await accounts.create_invite(
        ctx.conn,
        role=draft["role"],
        committee_id=fctx.params["committee_id"],
        cell_id=int(draft["cell"]) if draft.get("cell") else None,
        now=ctx.now,
        ttl=timedelta(days=ctx.services.settings.invite_ttl_days),
        full_name=full_name,
        title=draft.get("title"),
        member_id=member_id,
        created_by=ctx.me.person_id,
    )
    await ctx.audit("invite", invite.id, "created", {"role": invite.role, "cell_id": invite.cell_id})
    role = await describe_role(ctx, invite)
    who = f"{invite.full_name} ({role})" if invite.full_name else role
    expires_on = fmt_date(invite.expires_at.astimezone(LOCAL_TZ).date())
    return [Outbound(t.invite_created(invite.code, who, expires_on))]


async def _roster_row(fctx: FormCtx) -> tuple[int | None, str | None]:
    """Return the roster row and name the invite is for: the member picked, or a leader found by name."""
    draft = fctx.draft
    if draft.get("member"):
        member = await org.get_member(fctx.ctx.conn, int(draft["member"]))
        return member.id, member.full_name
    full_name = draft.get("full_name")
    if not draft.get("cell") or not full_name:
        return None, full_name
    found = await org.members_named(fctx.ctx.conn, int(draft["cell"]), full_name)
    return (found[0].id if len(found) == 1 else None), full_name


async def _roster_options(fctx: FormCtx) -> list[Option]:
    """Offer the members on the chosen cell's roster."""
    roster = await org.list_members(fctx.ctx.conn, int(fctx.draft["cell"]))
    names = Counter(m.full_name for m in roster)
    # Two members of one name are told apart by their birth year.
    return [
        Option(f"{m.full_name} ({m.birth_year})" if names[m.full_name] > 1 else m.full_name, str(m.id))
        for m in roster
    ]


async def _for_a_member(fctx: FormCtx) -> bool:
    """Tell whether the invite is for a plain member, who is picked from the roster."""
    return fctx.draft.get("role") == MEMBER


async def _by_name(fctx: FormCtx) -> bool:
    """Tell whether the invitee's name is typed (everyone but a plain member)."""
    return fctx.draft.get("role") != MEMBER


async def _for_a_cell(fctx: FormCtx) -> bool:
    """Tell whether the invite is to a role in a cell."""
    return fctx.draft.get("role") not in (None, "committee")


async def _for_the_committee(fctx: FormCtx) -> bool:
    """Tell whether the invite is to the committee."""
    return fctx.draft.get("role") == "committee"


INVITE_FORM = Form(
    name="invite",
    title=t.INVITE_TITLE,
    command="moi",
    keep_drafts=False,
    steps=(
        Step(
            key="role",
            label=t.LABEL_ROLE,
            prompt=t.ASK_ROLE,
            options=tuple(Option(label, role) for role, label in tc.ROLE_CHOICES.items()),
        ),
        Step(
            key="cell",
            label=t.LABEL_CELL,
            prompt=t.ASK_CELL,
            options=committee_cells,
            when=_for_a_cell,
            depends_on=("role",),
        ),
        Step(
            key="title",
            label=t.LABEL_TITLE,
            prompt=t.ASK_TITLE,
            optional=True,
            when=_for_the_committee,
            depends_on=("role",),
            max_length=100,
        ),
        Step(
            key="member",
            label=t.LABEL_NAME,
            prompt=t.ASK_ROSTER_MEMBER,
            options=_roster_options,
            when=_for_a_member,
            depends_on=("role", "cell"),
        ),
        Step(
            key="full_name",
            label=t.LABEL_NAME,
            prompt=t.ASK_INVITEE_NAME,
            parse=parse_full_name,
            optional=True,
            when=_by_name,
            depends_on=("role",),
            max_length=MAX_FULL_NAME,
        ),
    ),
    submit=_create,
)

COMMANDS = [
    Command(
        "moi",
        invite_command,
        COMMITTEE_ONLY,
        help=t.HELP_INVITE,
        aliases=("moi", "ma moi"),
        starts_flow=True,
    ),
]
FORMS = [INVITE_FORM]
