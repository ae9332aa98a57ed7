"""Foundation tables: organisation, people, accounts, invites, conversations, audit.

Feature modules define their own tables on the same `metadata`.
"""

from __future__ import annotations

import importlib
import pkgutil

import sqlalchemy as sa

import storage
from storage.types import UtcDateTime

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

committees = sa.Table(
    "committees",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("settings", sa.JSON, nullable=False, default=dict),
    sa.Column("created_at", UtcDateTime(), nullable=False),
)

cells = sa.Table(
    "cells",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("committee_id", sa.ForeignKey("committees.id"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.UniqueConstraint("committee_id", "name", name="uq_cells_committee_name"),
)

members = sa.Table(
    "members",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("cell_id", sa.ForeignKey("cells.id"), nullable=False),
    sa.Column("full_name", sa.String(200), nullable=False),
    sa.Column("birth_year", sa.Integer),
    sa.Column("gender", sa.String(10)),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("excused", sa.Boolean, nullable=False, default=False),
    sa.Column("joined_on", sa.Date),
    sa.Column("left_on", sa.Date),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Index("ix_members_cell_id_left_on", "cell_id", "left_on"),
)

people = sa.Table(
    "people",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("full_name", sa.String(200), nullable=False),
    sa.Column("member_id", sa.ForeignKey("members.id")),
    sa.Column("reminder_channel", sa.String(20)),
    sa.Column("created_at", UtcDateTime(), nullable=False),
)

roles = sa.Table(
    "roles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("person_id", sa.ForeignKey("people.id"), nullable=False, index=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("committee_id", sa.ForeignKey("committees.id"), nullable=False),
    sa.Column("cell_id", sa.ForeignKey("cells.id")),
    sa.Column("title", sa.String(200)),
    sa.Column("created_at", UtcDateTime(), nullable=False),
)

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("person_id", sa.ForeignKey("people.id"), nullable=False, index=True),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("external_id", sa.String(100), nullable=False),
    sa.Column("chat_id", sa.String(100), nullable=False),
    sa.Column("display_name", sa.String(200)),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.UniqueConstraint("channel", "external_id", name="uq_accounts_channel_external"),
)

invites = sa.Table(
    "invites",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(32), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("committee_id", sa.ForeignKey("committees.id"), nullable=False),
    sa.Column("cell_id", sa.ForeignKey("cells.id")),
    sa.Column("full_name", sa.String(200)),
    sa.Column("title", sa.String(200)),
    sa.Column("member_id", sa.ForeignKey("members.id")),
    sa.Column("person_id", sa.ForeignKey("people.id")),
    sa.Column("created_by", sa.ForeignKey("people.id")),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("expires_at", UtcDateTime(), nullable=False),
    sa.Column("used_at", UtcDateTime),
    sa.Column("used_by_account", sa.ForeignKey("accounts.id")),
)

year_themes = sa.Table(
    "year_themes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("committee_id", sa.ForeignKey("committees.id"), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("directive", sa.String(100), nullable=False),
    sa.Column("theme", sa.Text, nullable=False),
    sa.Column("wording", sa.Text, nullable=False),
    sa.UniqueConstraint("committee_id", "year", name="uq_year_themes_committee_year"),
)

conversations = sa.Table(
    "conversations",
    metadata,
    sa.Column("channel", sa.String(20), primary_key=True),
    sa.Column("chat_id", sa.String(100), primary_key=True),
    sa.Column("flow", sa.String(50), nullable=False),
    sa.Column("step", sa.String(50), nullable=False),
    sa.Column("state", sa.JSON, nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

# The numbered menu a chat was shown last, so a typed number can pick from it on any instance.
chat_menus = sa.Table(
    "chat_menus",
    metadata,
    sa.Column("channel", sa.String(20), primary_key=True),
    sa.Column("chat_id", sa.String(100), primary_key=True),
    sa.Column("options", sa.JSON, nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

download_links = sa.Table(
    "download_links",
    metadata,
    sa.Column("token", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("expires_at", UtcDateTime(), nullable=False, index=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
)

# The webhook a channel last registered and what the platform said when it probed it.
webhook_checks = sa.Table(
    "webhook_checks",
    metadata,
    sa.Column("channel", sa.String(20), primary_key=True),
    sa.Column("url", sa.String(500), nullable=False),
    sa.Column("secret_digest", sa.String(64), nullable=False),
    sa.Column("verification", sa.JSON),
    sa.Column("checked_at", UtcDateTime(), nullable=False),
)

drafts = sa.Table(
    "drafts",
    metadata,
    sa.Column("person_id", sa.ForeignKey("people.id"), primary_key=True),
    sa.Column("flow", sa.String(50), primary_key=True),
    sa.Column("step", sa.String(50), nullable=False),
    sa.Column("state", sa.JSON, nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

processed_updates = sa.Table(
    "processed_updates",
    metadata,
    sa.Column("channel", sa.String(20), primary_key=True),
    sa.Column("update_key", sa.String(100), primary_key=True),
    sa.Column("processed_at", UtcDateTime(), nullable=False),
)

code_attempts = sa.Table(
    "code_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("chat_id", sa.String(100), nullable=False),
    sa.Column("sender_id", sa.String(100), nullable=False),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Index("ix_code_attempts_channel_at", "channel", "at"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Column("person_id", sa.ForeignKey("people.id")),
    sa.Column("account_id", sa.ForeignKey("accounts.id")),
    sa.Column("on_behalf_of_member", sa.ForeignKey("members.id")),
    sa.Column("entity", sa.String(50), nullable=False),
    sa.Column("entity_id", sa.String(50), nullable=False),
    sa.Column("action", sa.String(50), nullable=False),
    sa.Column("detail", sa.JSON, nullable=False),
)


def load_all_tables() -> sa.MetaData:
    """Import every storage module, so `metadata` holds every feature's tables."""
    for module in pkgutil.iter_modules(storage.__path__):
        importlib.import_module(f"storage.{module.name}")
    return metadata
