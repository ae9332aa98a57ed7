"""Settings read from the environment and `.env`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of the bot; `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///data/chibo.db"
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    telegram_api_file_url: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    # Every interface: the webhook and the download links must be reachable from outside the container.
    telegram_webhook_listen: str = "0.0.0.0"  # noqa: S104
    telegram_webhook_port: int = 8443
    telegram_poll_timeout: int = Field(default=30, ge=0)
    # Vietnam's ISPs block Telegram: reach it through a proxy (http, https or socks5 URL); the
    # usual HTTPS_PROXY counts when TELEGRAM_PROXY_URL is empty. Secrets: they may hold a password.
    telegram_proxy_url: SecretStr | None = None
    https_proxy: SecretStr | None = None

    zalo_bot_token: SecretStr | None = None
    zalo_api_base_url: str = "https://bot-api.zaloplatforms.com"
    zalo_webhook_url: str | None = None
    zalo_webhook_secret: SecretStr | None = None
    zalo_poll_timeout: int = Field(default=30, ge=1)
    # Zalo's quota (429) is plan-based and unpublished: how long a message that meets it waits.
    zalo_quota_retry_seconds: float = Field(default=60.0, gt=0)

    # The bot's own web server: health, metrics, the Zalo webhook and short-lived download links.
    web_listen: str = "0.0.0.0"  # noqa: S104 - as above
    web_port: int = 8080
    public_base_url: str | None = None
    download_link_minutes: int = Field(default=60, ge=1)
    # The committee's web view: how long a session opened from a one-time link lasts.
    web_session_hours: float = Field(default=9, gt=0)
    # The ward's table: how many cells a page shows (a province's 5,000 on one page weigh megabytes).
    web_cells_per_page: int = Field(default=200, ge=1)

    # Reminders: the outbox dispatcher's pace and the planners' schedule.
    dispatch_interval_seconds: float = Field(default=5.0, gt=0)
    dispatch_rate_per_second: float = Field(default=20.0, gt=0)
    dispatch_chat_interval_seconds: float = Field(default=1.0, ge=0)
    outbox_stale_seconds: int = Field(default=300, ge=1)
    outbox_max_attempts: int = Field(default=10, ge=1)
    planner_cron: str = "5 * * * *"

    # For tests and demonstrations only: the bot's clock runs this many seconds ahead of the
    # machine's (negative: behind), so a test can start the bot at an hour it chose. 0 in production.
    clock_shift_seconds: float = 0.0

    invite_ttl_days: int = Field(default=7, ge=1)
    demo_data: bool = True
    export_dir: Path = Path("data/exports")

    # Backups: a daily one on `backup_cron` (local time) when a directory is set; the last N are kept.
    backup_dir: Path | None = None
    backup_keep: int = Field(default=14, ge=1)
    backup_cron: str = "30 2 * * *"

    @field_validator("backup_dir", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        """Read an empty BACKUP_DIR= (as .env.example has it) as no directory, not the current one."""
        return None if value == "" else value

    @property
    def telegram_enabled(self) -> bool:
        """Tell whether a Telegram token is configured."""
        return self.telegram_bot_token is not None and bool(self.telegram_bot_token.get_secret_value())

    @property
    def telegram_proxy(self) -> str | None:
        """Return the proxy Telegram is reached through: TELEGRAM_PROXY_URL, else HTTPS_PROXY, else none."""
        for value in (self.telegram_proxy_url, self.https_proxy):
            if value is not None and value.get_secret_value():
                return value.get_secret_value()
        return None

    @property
    def zalo_enabled(self) -> bool:
        """Tell whether a Zalo token is configured."""
        return self.zalo_bot_token is not None and bool(self.zalo_bot_token.get_secret_value())
