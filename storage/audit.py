"""The audit trail: who changed what, when, from which account, on whose behalf."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.tables import audit_log


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change."""

    at: datetime
    person_id: int | None
    account_id: int | None
    on_behalf_of_member: int | None
    entity: str
    entity_id: str
    action: str
    detail: dict[str, Any]


async def record(
    conn: AsyncConnection,
    *,
    at: datetime,
    person_id: int | None,
    account_id: int | None,
    entity: str,
    entity_id: str | int,
    action: str,
    detail: dict[str, Any] | None = None,
    on_behalf_of_member: int | None = None,
) -> None:
    """Append one change to the audit trail."""
    entry = {
        "at": at,
        "person_id": person_id,
        "account_id": account_id,
        "on_behalf_of_member": on_behalf_of_member,
        "entity": entity,
        "entity_id": str(entity_id),
        "action": action,
        "detail": detail or {},
    }
    await conn.execute(audit_log.insert(), entry)


async def entries(conn: AsyncConnection, entity: str, entity_id: str | int) -> list[AuditEntry]:
    """Return the trail of one entity, oldest first."""
    rows = await conn.execute(
        sa.select(audit_log)
        .where(audit_log.c.entity == entity, audit_log.c.entity_id == str(entity_id))
        .order_by(audit_log.c.id)
    )
    return [
        AuditEntry(
            at=r.at,
            person_id=r.person_id,
            account_id=r.account_id,
            on_behalf_of_member=r.on_behalf_of_member,
            entity=r.entity,
            entity_id=r.entity_id,
            action=r.action,
            detail=r.detail,
        )
        for r in rows
    ]
