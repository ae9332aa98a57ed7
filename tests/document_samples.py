"""The three documents of the seeded August 2015, as files: the ward's report, Chi bộ 12's, and its minutes.

The PDF test converts them with LibreOffice; run as a script, it also draws each first page as the
PNG that docs/documents.md shows:

    python -m tests.document_samples docs/img
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from admin.commands import load_demo
from domain.clock import FixedClock
from reports import export_data, exports
from reports.export_data import Scope
from reports.minutes import minutes_of
from storage import reports
from storage.db import Database
from tests.test_digest import AUGUST, at, seed

SAMPLES = ("bao-cao-dang-uy", "bao-cao-chi-bo", "bien-ban")
TODAY = date(2015, 9, 10)
# LibreOffice starts slowly on two cores; a cold start with three files takes about 20 s.
CONVERT_TIMEOUT = 300


async def write_samples(out_dir: Path) -> dict[str, Path]:
    """Seed a fresh database, amend Chi bộ 12's report with the minutes' fields, and write the documents."""
    db = Database.from_url(f"sqlite+aiosqlite:///{out_dir / 'samples.db'}")
    await db.migrate()
    try:
        clock = FixedClock(datetime(2015, 9, 10, 2, 0, tzinfo=UTC))
        await load_demo(db, clock)
        seeded = await seed(db, clock)
        cell = seeded.cells["Chi bộ 12"]
        async with db.begin() as conn:
            [summary] = await reports.list_reports(conn, cell)
            report = await reports.get_report(conn, summary.id)
            assert report is not None
            content = replace(
                report.content,
                end_time="21:30",
                guests="Đồng chí Lê Quang Huy, Đảng ủy viên phụ trách chi bộ",
                vote_for=report.content.counts.present - 1,
                vote_against=1,
                vote_total=report.content.counts.present,
            )
            changes = ["end_time", "guests", "vote_for", "vote_against", "vote_total"]
            await reports.amend_report(
                conn, summary.id, content, changes, now=at(date(2015, 9, 9)), person_id=1, account_id=None
            )
            files = {}
            scopes = {SAMPLES[0]: Scope(seeded.committee_id), SAMPLES[1]: Scope(seeded.committee_id, cell)}
            for name, scope in scopes.items():
                data = await export_data.gather(conn, scope, AUGUST, TODAY)
                files[name] = await exports.render(data, exports.DOCX)
            found = await minutes_of(conn, summary.id)
            assert found is not None
            files[SAMPLES[2]] = found[1]
    finally:
        await db.dispose()
    paths = {}
    for name, document in files.items():
        paths[name] = out_dir / f"{name}.docx"
        paths[name].write_bytes(document)
    return paths


def soffice() -> str | None:
    """Return LibreOffice's command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: list[Path], out_dir: Path) -> list[Path]:
    """Convert DOCX files to PDF with one LibreOffice run, in a profile of its own."""
    command = soffice()
    if command is None:
        raise RuntimeError("LibreOffice is not installed")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                command,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                *map(str, docx),
            ],
            check=True,
            capture_output=True,
            timeout=CONVERT_TIMEOUT,
        )
    return [out_dir / f"{path.stem}.pdf" for path in docx]


def main(image_dir: Path) -> None:
    """Write the documents, convert them, and draw each first page as a small PNG."""
    image_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        docx = asyncio.run(write_samples(Path(work)))
        for pdf in to_pdf(list(docx.values()), Path(work)):
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(pdf),
                    str(image_dir / pdf.stem),
                ],
                check=True,
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
