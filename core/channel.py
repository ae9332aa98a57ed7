"""The port every transport implements: one send attempt, its failure, a configuration error."""

from __future__ import annotations

from typing import Protocol

from core.messages import Outbound


class SendError(Exception):
    """A send that did not go through: wait `retry_after` if set, or write to the chat's new id `moved_to`."""

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        moved_to: str | None = None,
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        self.moved_to = moved_to

    @property
    def result(self) -> str:
        """Name the outcome as metrics count it: 429 (asked to wait), blocked (refused for good), 5xx."""
        if self.retry_after is not None:
            return "429"
        return "blocked" if self.permanent else "5xx"


class Channel(Protocol):
    """A transport: receives platform updates and sends Outbounds to chats."""

    name: str

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Make one attempt to send a message to a chat, raising SendError when it does not go."""
        ...

    def is_group(self, chat_id: str) -> bool:
        """Tell whether a chat is a group, which the platform lets the bot write to less often."""
        ...


class ConfigError(Exception):
    """A channel's settings cannot be run as they are; the message says what to fix, in one line."""
