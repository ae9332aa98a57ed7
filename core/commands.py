"""Commands: what a user can type, who may type it, and what answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from core.context import Ctx
from core.messages import Outbound

Handler = Callable[[Ctx, str], Awaitable[list[Outbound]]]

EVERYONE = frozenset({"committee", "secretary", "deputy", "member"})
LEADERS = frozenset({"secretary", "deputy"})
COMMITTEE_ONLY = frozenset({"committee"})
CELL_AND_COMMITTEE = frozenset({"committee", "secretary", "deputy"})
# Whoever belongs to a cell: pledges are a member's own, entered by them or their cell's leaders.
CELL_MEMBERS = frozenset({"secretary", "deputy", "member"})


@dataclass(frozen=True)
class Command:
    """A slash command with its typed aliases (normalized, without diacritics)."""

    name: str
    handler: Handler
    roles: frozenset[str]
    help: str
    aliases: tuple[str, ...] = ()
    starts_flow: bool = False
    public: bool = False
    # Answered in a group chat too; everything else is for a private chat with the person.
    in_group: bool = False

    def allowed(self, roles: frozenset[str]) -> bool:
        """Tell whether someone holding `roles` may run this command."""
        return self.public or bool(self.roles & roles)
