"""Channel-neutral messages: what a channel hands the core and what it renders back."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any


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
    # A group chat, where several people write: the platform says so, not the chat id.
    group: bool = False

    @property
    def chat_key(self) -> tuple[str, str]:
        """Return the key under which this chat's conversation state is kept."""
        return (self.channel, self.chat_id)


@dataclass(frozen=True)
class Option:
    """A choice offered to the user: a button on Telegram, a numbered line elsewhere.

    Its value says what choosing it does, in one of two forms made and read only here: a command
    line (`command_option`), or the answer to one step of a form (`step_option`).
    """

    label: str
    value: str


@dataclass(frozen=True)
class StepAnswer:
    """A chosen option that answers one step of a form."""

    form: str
    step: str
    answer: str


STEP_PREFIX = "f:"


def command_option(label: str, command: str, args: str = "") -> Option:
    """Offer a choice that runs `/command args`."""
    return Option(label, f"/{command} {args}".rstrip())


def step_option(label: str, form: str, step: str, answer: str | int) -> Option:
    """Offer a choice that answers a step of a form."""
    return Option(label, f"{STEP_PREFIX}{form}:{step}:{answer}")


def read_choice(value: str | None) -> str | StepAnswer | None:
    """Tell what a chosen option's value asks for: a command line, a step's answer, or nothing known."""
    if not value:
        return None
    if value.startswith("/"):
        return value
    if value.startswith(STEP_PREFIX):
        form, _, rest = value.removeprefix(STEP_PREFIX).partition(":")
        step, _, answer = rest.partition(":")
        if form and step:
            return StepAnswer(form, step, answer)
    return None


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
    # A file or chart too heavy to build inside the update's transaction: made once it has committed,
    # away from the event loop, and sent in this message's place.
    later: Callable[[], Awaitable[Outbound]] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def made_later(cls, make: Callable[[], Awaitable[Outbound]]) -> Outbound:
        """Stand for a message that is made once the update's transaction has committed."""
        return cls("", later=make)

    def to_json(self) -> dict[str, Any]:
        """Return the message as JSON data, files included, for the outbox."""
        data: dict[str, Any] = {
            "text": self.text,
            "options": [[o.label, o.value] for o in self.options],
            "numbered": self.numbered,
            "options_in_text": self.options_in_text,
        }
        # JSON carries no bytes; charts and exports of a few hundred kilobytes fit well as base64.
        if self.document is not None:
            data["document"] = base64.b64encode(self.document).decode("ascii")
            data["document_name"] = self.document_name
        if self.photo is not None:
            data["photo"] = base64.b64encode(self.photo).decode("ascii")
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outbound:
        """Rebuild a message stored by `to_json`."""
        document, photo = data.get("document"), data.get("photo")
        return cls(
            text=data["text"],
            options=tuple(Option(label, value) for label, value in data.get("options", [])),
            numbered=data.get("numbered", True),
            options_in_text=data.get("options_in_text", True),
            document=base64.b64decode(document) if document else None,
            document_name=data.get("document_name"),
            photo=base64.b64decode(photo) if photo else None,
        )


def command_menu(message: Outbound) -> list[list[str]] | None:
    """Return the [label, command] pairs a message shows as numbered lines, or None if it shows none."""
    if not message.options or not message.options_in_text:
        return None
    if not all(isinstance(read_choice(option.value), str) for option in message.options):
        return None
    return [[option.label, option.value] for option in message.options]
