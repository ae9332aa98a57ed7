"""The daily backup: one file in BACKUP_DIR, its outcome logged, counted and shown by /healthz."""

from __future__ import annotations

import logging
from pathlib import Path

from core.health import Health
from core.metrics import Metrics
from domain.clock import Clock
from storage.backup import BackupError, backup
from storage.db import Database

log = logging.getLogger(__name__)


class BackupJob:
    """Backs the database up into a directory, keeping the newest files."""

    def __init__(
        self, db: Database, clock: Clock, directory: Path, keep: int, health: Health, metrics: Metrics
    ) -> None:
        self.db = db
        self.clock = clock
        self.directory = directory
        self.keep = keep
        self.health = health
        self.metrics = metrics

    async def run(self) -> Path | None:
        """Take one backup; on failure log it as an error and report it until the next good one."""
        now = self.clock.now()
        try:
            path = await backup(self.db, self.directory, now, self.keep)
        except (BackupError, OSError) as error:
            log.error("scheduled backup into %s failed: %s", self.directory, error)
            self.metrics.backups.labels("failed").inc()
            self.health.backup_failed(now, type(error).__name__)
            return None
        log.info("backup written: %s", path)
        self.metrics.backups.labels("ok").inc()
        self.metrics.last_good_backup.set(now.timestamp())
        self.health.backup_succeeded()
        return path
