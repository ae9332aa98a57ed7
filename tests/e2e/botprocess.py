"""Run the real bot as a separate process, and its admin command line, for end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from domain.clock import LOCAL_TZ, Clock, system_clock
from tests.fakes.telegram_api import FakeTelegramServer

ROOT = Path(__file__).resolve().parents[2]
TEST_TOKEN = "123456789:AAE-test-token-never-logged"
# The moment a bot process under test starts at, whatever the machine's clock says: a Tuesday
# morning in Hà Nội, outside the quiet hours, with a month's report due in a few days.
BOT_MOMENT = datetime(2026, 3, 3, 9, 30, tzinfo=LOCAL_TZ)


def bot_env(database_url: str, at: datetime = BOT_MOMENT, **extra: str) -> dict[str, str]:
    """Return a bot process's environment: the test database, its clock at `at`, a free web port."""
    stray = ("TELEGRAM_", "ZALO_", "DATABASE_", "CLOCK_", "WEB_", "BACKUP_", "LOG_", "HTTPS_PROXY")
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(stray)}
    shift = (at - datetime.now(UTC)).total_seconds()
    env.update(
        DATABASE_URL=database_url,
        CLOCK_SHIFT_SECONDS=repr(shift),
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    # Every bot process runs the web server (health, metrics), and tests run side by side.
    env.update({"WEB_LISTEN": "127.0.0.1", "WEB_PORT": str(free_port()), **extra})
    return env


def with_telegram(env: dict[str, str], telegram: FakeTelegramServer) -> dict[str, str]:
    """Add the Telegram channel to a bot process's environment, polling the fake Telegram server."""
    return {
        **env,
        "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_API_BASE_URL": telegram.base_url,
        "TELEGRAM_API_FILE_URL": telegram.base_file_url,
        "TELEGRAM_POLL_TIMEOUT": "1",
    }


def bot_clock(env: dict[str, str]) -> Clock:
    """Return the clock of the bot processes started with `env`, for a test that writes to their database."""
    return system_clock(float(env["CLOCK_SHIFT_SECONDS"]))


def admin(env: dict[str, str], *args: str) -> str:
    """Run `python bot.py admin …` and return its output; fail the test on a non-zero exit."""
    result = subprocess.run(
        [sys.executable, "bot.py", "admin", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


class BotProcess:
    """The bot running in its own process, with its log kept for assertions."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start `python bot.py` and return at once."""
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "bot.py", cwd=ROOT, env=self.env, stdout=log, stderr=log
        )

    async def kill(self) -> None:
        """Kill the process without warning, as a crash would."""
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()

    async def stop(self) -> None:
        """Ask the process to stop and wait for it."""
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout=15)
            except TimeoutError:
                await self.kill()

    def log(self) -> str:
        """Return everything the process wrote."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def free_port() -> int:
    """Return a TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
