"""What a handler receives: the message, who sent it, the services, and the open transaction."""

from __future__ import annotations

import base64
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import LOCAL_TZ, Clock
from core.identity import Identity
from core.messages import Inbound, Option, Outbound
from domain import calendar
from settings import Settings
from storage import accounts, org, outbox
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

    async def notify(self, person_id: int, message: Outbound, *, kind: str, key: str) -> None:
        """Plan a message to a person through the outbox, once per (kind, person, key)."""
        settings = calendar.ReminderSettings.from_committee(
            await org.person_committee_settings(self.conn, person_id)
        )
        self.notice_times.append(calendar.after_quiet_hours(self.now, settings))
        refs = await accounts.person_accounts(self.conn, person_id)
        channel, chat_id = (refs[0].channel, refs[0].chat_id) if refs else (None, None)
        await outbox.enqueue(
            self.conn,
            kind=kind,
            target=f"person:{person_id}",
            period=key,
            payload=outbound_payload(message),
            due_at=self.now,
            now=self.now,
            person_id=person_id,
            channel=channel,
            chat_id=chat_id,
        )
        self.notices.append(person_id)


def outbound_payload(message: Outbound) -> dict:
    """Serialise a message with its options, and a photo if any, for the outbox."""
    payload = {
        "text": message.text,
        "options": [[o.label, o.value] for o in message.options],
        "numbered": message.numbered,
    }
    if message.photo is not None:
        # JSON carries no bytes; a chart of a few dozen kilobytes fits well as base64.
        payload["photo"] = base64.b64encode(message.photo).decode("ascii")
    return payload


def payload_outbound(payload: dict) -> Outbound:
    """Rebuild the message stored by `outbound_payload`."""
    photo = payload.get("photo")
    return Outbound(
        text=payload["text"],
        options=tuple(Option(label, value) for label, value in payload.get("options", [])),
        numbered=payload.get("numbered", True),
        photo=base64.b64decode(photo) if photo else None,
    )
