"""What a handler receives: the message, who sent it, the services, and the open transaction."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncConnection

from core.messages import Inbound, Outbound
from domain import calendar
from domain.clock import LOCAL_TZ, Clock
from domain.identity import Identity
from settings import Settings
from storage import audit, org, outbox
from storage.db import Database

if TYPE_CHECKING:
    from core.commands import Command
    from core.forms import FormEngine


@dataclass(frozen=True)
class Services:
    """Dependencies created once at start-up and handed to every handler."""

    db: Database
    clock: Clock
    settings: Settings


@dataclass
class Ctx:
    """One update being handled, inside one database transaction."""

    inbound: Inbound
    identity: Identity | None
    services: Services
    conn: AsyncConnection
    now: datetime
    flows: FormEngine
    commands: Mapping[str, Command]
    notices: list[int] = field(default_factory=list)
    # When each notice planned in this update goes out: now, or the end of the recipient's quiet hours.
    notice_times: list[datetime] = field(default_factory=list)
    # What several steps of one update read alike (a roster shown in a prompt and its summary),
    # read once; it lives only as long as the update's transaction.
    memo: dict[Hashable, Any] = field(default_factory=dict)

    @property
    def today(self) -> date:
        """Return the local date of this update."""
        return self.now.astimezone(LOCAL_TZ).date()

    @property
    def me(self) -> Identity:
        """Return the sender's identity; only called where the router already required one."""
        if self.identity is None:
            raise LookupError("handler reached without an identity")
        return self.identity

    @property
    def notices_held_until(self) -> datetime | None:
        """Return when the last notice of this update goes out, if quiet hours hold any back."""
        held = [at for at in self.notice_times if at > self.now]
        return max(held) if held else None

    async def audit(
        self,
        entity: str,
        entity_id: str | int,
        action: str,
        detail: dict[str, Any] | None = None,
        *,
        on_behalf_of_member: int | None = None,
    ) -> None:
        """Record in the audit trail a change the sender made, from the account they wrote from."""
        await audit.record(
            self.conn,
            at=self.now,
            person_id=self.me.person_id,
            account_id=self.me.account_id,
            entity=entity,
            entity_id=entity_id,
            action=action,
            detail=detail,
            on_behalf_of_member=on_behalf_of_member,
        )

    async def notify(self, person_ids: Sequence[int], message: Outbound, *, kind: str, key: str) -> None:
        """Plan a message to each person through the outbox, once per (kind, person, key)."""
        settings = await org.committee_settings_of_people(self.conn, person_ids)
        for person_id in person_ids:
            await outbox.plan(
                self.conn,
                outbox.to_person(person_id),
                message,
                kind=kind,
                key=key,
                due_at=self.now,
                now=self.now,
            )
            quiet = calendar.ReminderSettings.from_committee(settings.get(person_id, {}))
            self.notice_times.append(calendar.after_quiet_hours(self.now, quiet))
            self.notices.append(person_id)
