"""Everything the database holds about one party member, for their right of access (Decree 13/2023)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.tables import accounts, chat_menus, conversations, load_all_tables, members, people

# Rows that belong to a row of the person's and say nothing without it (a pledge's items and their
# progress), by child table and parent table.
OWNED = (("pledge_items", "pledges"), ("pledge_updates", "pledge_items"))

# What the bot keeps per chat of the person's accounts: an open form, the menu shown last.
CHAT_TABLES = (conversations, chat_menus)

Rows = dict[str, list[dict[str, Any]]]


async def member_ids(conn: AsyncConnection, cell_id: int, full_name: str) -> list[int]:
    """Return the ids of a cell's members of that name, those who left included."""
    query = sa.select(members.c.id).where(members.c.cell_id == cell_id, members.c.full_name == full_name)
    return list((await conn.execute(query.order_by(members.c.id))).scalars())


async def person_rows(conn: AsyncConnection, member_id_list: Collection[int]) -> Rows:
    """Return, table by table, every row about these members and the people and accounts they are."""
    metadata = load_all_tables()
    person_ids = list(
        (await conn.execute(sa.select(people.c.id).where(people.c.member_id.in_(member_id_list)))).scalars()
    )
    account_rows = (await conn.execute(sa.select(accounts).where(accounts.c.person_id.in_(person_ids)))).all()
    subjects = {
        "members": list(member_id_list),
        "people": person_ids,
        "accounts": [row.id for row in account_rows],
    }
    found: Rows = {}
    for table in metadata.sorted_tables:
        conditions = [table.c.id.in_(subjects[table.name])] if table.name in subjects else []
        conditions += [
            fk.parent.in_(subjects[fk.column.table.name])
            for fk in table.foreign_keys
            if fk.column.table.name in subjects and fk.column.name == "id"
        ]
        if conditions:
            found[table.name] = await _rows(conn, sa.select(table).where(sa.or_(*conditions)))
    for child_name, parent_name in OWNED:
        child = metadata.tables[child_name]
        parent_ids = [row["id"] for row in found.get(parent_name, [])]
        [fk] = [fk for fk in child.foreign_keys if fk.column.table.name == parent_name]
        owned = await _rows(conn, sa.select(child).where(fk.parent.in_(parent_ids)))
        known = {row["id"] for row in found.get(child_name, [])}
        found[child_name] = found.get(child_name, []) + [row for row in owned if row["id"] not in known]
    chats = [(row.channel, row.chat_id) for row in account_rows]
    for table in CHAT_TABLES if chats else ():
        chat_key = sa.tuple_(table.c.channel, table.c.chat_id)
        found[table.name] = await _rows(conn, sa.select(table).where(chat_key.in_(chats)))
    return {name: rows for name, rows in found.items() if rows}


async def _rows(conn: AsyncConnection, query: sa.Select) -> list[dict[str, Any]]:
    """Return a query's rows as dictionaries."""
    return [dict(row) for row in (await conn.execute(query)).mappings()]
