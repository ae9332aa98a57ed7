"""Channel-neutral messages: what a channel hands the core and what it renders back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    """A file or photo a user sent: the channel's file reference, a display name, small files' bytes."""

    kind: str  # "document" or "photo"
    file_ref: str
    file_name: str | None = None
    size: int | None = None
    data: bytes | None = None


@dataclass(frozen=True)
class Inbound:
    """One platform update, reduced to what the core needs."""

    channel: str
    chat_id: str
    sender_id: str
    update_key: str
    text: str | None = None
    choice: str | None = None
    sender_name: str | None = None
    attachment: Attachment | None = None

    @property
    def chat_key(self) -> tuple[str, str]:
        """Return the key under which this chat's conversation state is kept."""
        return (self.channel, self.chat_id)


@dataclass(frozen=True)
class Option:
    """A choice offered to the user: a button on Telegram, a numbered line elsewhere."""

    label: str
    value: str


@dataclass(frozen=True)
class Outbound:
    """One message the bot sends: text, optional choices, optional file."""

    text: str
    options: tuple[Option, ...] = ()
    numbered: bool = True
    options_in_text: bool = True
    document: bytes | None = None
    document_name: str | None = None
    photo: bytes | None = None
