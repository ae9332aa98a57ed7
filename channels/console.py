"""The console chat: try the bot in a terminal, as one of the people in the database."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from pathlib import Path
from typing import TextIO

from channels.base import options_as_text
from core.app import App
from core.messages import Inbound, Outbound
from domain.clock import Clock
from storage import accounts
from storage.db import Database
from texts import channels as t
from texts import common as tc

NAME = "console"


class ConsoleChannel:
    """Reads lines from a terminal and prints the bot's replies."""

    name = NAME

    def __init__(
        self, app: App, db: Database, clock: Clock, files_dir: Path, stdin: TextIO, stdout: TextIO
    ) -> None:
        self.app = app
        self.db = db
        self.clock = clock
        self.files_dir = files_dir
        self.stdin = stdin
        self.stdout = stdout
        self._session = uuid.uuid4().hex[:8]
        self._counter = itertools.count(1)

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Print a message; files are written to disk and their path shown."""
        self._print(f"\n{t.CONSOLE_BOT}\n{options_as_text(message)}")
        for data, name in ((message.document, message.document_name), (message.photo, "bieu-do.png")):
            if data is not None:
                self.files_dir.mkdir(parents=True, exist_ok=True)
                path = self.files_dir / (name or "tep")
                path.write_bytes(data)
                self._print(t.CONSOLE_FILE_SAVED.format(path=path))

    def is_group(self, chat_id: str) -> bool:
        """Tell that the console is one person's chat."""
        return False

    async def run(self, as_person: int | None = None) -> None:
        """Ask whom to chat as, then relay lines until end of input."""
        person_id = as_person if as_person is not None else await self._pick_person()
        if person_id is None:
            return
        external_id = f"person-{person_id}"
        async with self.db.begin() as conn:
            await accounts.bind_account(
                conn, person_id, NAME, external_id, external_id, None, self.clock.now()
            )
        self._print(t.CONSOLE_HINT)
        await self._relay(external_id, "/start")
        while True:
            line = await self._read(t.CONSOLE_YOU)
            if line is None:
                return
            if line.strip():
                await self._relay(external_id, line.rstrip("\n"))

    async def _relay(self, external_id: str, text: str) -> None:
        """Hand one typed line to the bot and print its replies."""
        inbound = Inbound(
            channel=NAME,
            chat_id=external_id,
            sender_id=external_id,
            update_key=f"{self._session}-{next(self._counter)}",
            text=text,
        )
        await self.app.handle(inbound, self)

    async def _pick_person(self) -> int | None:
        """List people with roles and let the user choose one by number."""
        async with self.db.begin() as conn:
            people = await accounts.list_people(conn)
            described = []
            for person_id, name in people:
                grants = await accounts.role_grants(conn, person_id)
                described.append((person_id, f"{name} — {', '.join(tc.role_title(g) for g in grants)}"))
        if not described:
            self._print(t.CONSOLE_NOBODY)
            return None
        self._print(t.CONSOLE_WELCOME)
        for number, (_, label) in enumerate(described, start=1):
            self._print(f"{number:>3}. {label}")
        while True:
            line = await self._read(t.CONSOLE_PICK)
            if line is None:
                return None
            if line.strip().isdecimal() and 1 <= int(line) <= len(described):
                return described[int(line) - 1][0]
            self._print(t.CONSOLE_BAD_PICK)

    async def _read(self, prompt: str) -> str | None:
        """Read one line without blocking the event loop; None at end of input."""
        self.stdout.write(prompt)
        self.stdout.flush()
        line = await asyncio.to_thread(self.stdin.readline)
        return line if line else None

    def _print(self, text: str) -> None:
        """Write a line and flush, so piped output arrives at once."""
        self.stdout.write(text + "\n")
        self.stdout.flush()
