"""The admin command line's backups and restores; each function returns the lines to print."""

from __future__ import annotations

from pathlib import Path

from admin.commands import AdminError
from domain.clock import Clock
from storage import backup as store
from storage.db import Database
from texts import ops as t


async def take_backup(db: Database, clock: Clock, directory: Path, keep: int) -> list[str]:
    """Back the database up into `directory`; the file's path alone is the last line."""
    try:
        path = await store.backup(db, directory, clock.now(), keep)
    except (store.BackupError, OSError) as error:
        raise AdminError(_explain(error, directory)) from None
    done = t.BACKUP_DONE.format(size=t.size(path.stat().st_size), keep=keep, directory=directory)
    return [done, str(path)]


async def restore_backup(db: Database, path: Path, *, force: bool) -> list[str]:
    """Restore a backup file into the database, refusing an unsound file or a target holding data."""
    try:
        counts = await store.restore(path, db, force=force)
    except (store.BackupError, OSError) as error:
        raise AdminError(_explain(error, path)) from None
    lines = [t.RESTORE_LINE.format(table=table, count=count) for table, count in counts]
    return [t.RESTORE_HEADER.format(file=path), *lines]


def _explain(error: store.BackupError | OSError, path: Path) -> str:
    """Say in Vietnamese why a backup or restore of `path` did not go ahead."""
    match error:
        case store.PgDumpMissing():
            return t.TOOL_MISSING.format(program=error.program)
        case store.ToolFailed():
            return t.TOOL_FAILED.format(program=error.program, detail=error.detail)
        case store.BackupExists():
            return t.BACKUP_EXISTS.format(path=error)
        case store.CorruptBackup():
            return t.RESTORE_CORRUPT.format(file=path, detail=error.detail)
        case store.NewerSchema():
            return t.RESTORE_NEWER.format(file=path, revision=error.revision)
        case store.WrongEngine():
            return t.RESTORE_WRONG_ENGINE.format(
                backup=t.ENGINES[error.backup], target=t.ENGINES[error.target]
            )
        case store.TargetHasData():
            return t.RESTORE_TARGET_HAS_DATA.format(table=error.table)
    return t.BACKUP_FAILED.format(detail=error)
