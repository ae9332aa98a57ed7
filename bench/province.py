"""Ward to province: the digest and the XLSX export of a ward and of a province, on SQLite and PostgreSQL.

Ward: 100 cells of 40 members; province: 5,000 cells of 40 members (200,000), 12 months of reports
and pledges of 2015 (`--quick`: a 20-cell ward and a 100-cell province). Three steps: the digest of
12/2015, the XLSX export of 2015, and the hourly planners at the two busiest hours of the data (the
monthly digest with its chart on 06/11/2015, the weekly digest and every cell's pledge review
reminder on 16/11/2015), on a copy of the data with one committee member to receive the digests.
The data is generated once per shape with the project's storage code and a fixed seed, cached
under data/bench/ (SQLite) or in a database named after the shape (PostgreSQL). Each measured step
runs in its own process, so its peak RSS is its own. The reference is the ward, measured in the
same run: the province holds 50 times its rows (5 times in quick mode).

    .venv/bin/python -m bench.province [--quick] [--postgres-url postgresql+asyncpg://…/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bench.common import ROOT
from bench.orgdata import Shape, find, generate
from core.parsing import parse_period
from domain.clock import LOCAL_TZ, FixedClock
from domain.identity import COMMITTEE
from reports import digest
from reports.export_data import Scope
from reports.exports import export_to_dir
from schedules.planners import run_planners
from storage import accounts
from storage.db import Database

CACHE = ROOT / "data" / "bench"
TODAY = date(2015, 12, 31)
GOALS = {"digest": 0.5, "export": 10.0, "planners": 2.0}
GOAL_RSS_MB = 300.0
# The planners' busiest hours in the data: the monthly digest and its chart (the day after
# October's deadline), then the weekly digest and the pledge reviews of every cell.
PLANNER_MOMENTS = (datetime(2015, 11, 6, 8, tzinfo=LOCAL_TZ), datetime(2015, 11, 16, 8, tzinfo=LOCAL_TZ))


async def ensure_sqlite(shape: Shape) -> str:
    """Return the URL of the shape's cached SQLite file, generating it first when absent."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{shape.key}.db"
    if path.exists():
        # A file cached by an older version of the code gets the newer schema first.
        db = Database.from_url(f"sqlite+aiosqlite:///{path}")
        try:
            await db.migrate()
        finally:
            await db.dispose()
    else:
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        started = time.monotonic()
        db = Database.from_url(f"sqlite+aiosqlite:///{partial}")
        try:
            await db.migrate()
            await generate(db, shape)
        finally:
            await db.dispose()
        partial.rename(path)
        print(f"  generated {path.name} in {time.monotonic() - started:.0f} s", flush=True)
    return f"sqlite+aiosqlite:///{path}"


async def ensure_postgres(admin_url: str, shape: Shape) -> str:
    """Return the URL of the shape's PostgreSQL database, creating and filling it first when needed."""
    name = f"chibo_bench_{shape.key.replace('-', '_')}"
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            query = text("SELECT 1 FROM pg_database WHERE datname = :n")
            exists = (await conn.execute(query, {"n": name})).first()
            if exists is None:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    db = Database.from_url(url)
    try:
        await db.migrate()
        if await find(db, shape) is None:
            # A run stopped half-way leaves rows behind; start from an empty database.
            if exists is not None:
                raise SystemExit(f"database {name} holds an unfinished generation: drop it and run again")
            started = time.monotonic()
            await generate(db, shape)
            print(f"  generated {name} in {time.monotonic() - started:.0f} s", flush=True)
    finally:
        await db.dispose()
    return url


@asynccontextmanager
async def scratch_copy(url: str) -> AsyncIterator[str]:
    """Yield the URL of a throwaway copy of a cached database, for a step that writes."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        with tempfile.TemporaryDirectory(prefix="chibo-bench-") as scratch:
            copy = Path(scratch) / "copy.db"
            await asyncio.to_thread(shutil.copyfile, str(parsed.database), copy)
            yield f"sqlite+aiosqlite:///{copy}"
        return
    name = f"{parsed.database}_scratch"
    admin = create_async_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            await conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"'))
        yield parsed.set(database=name).render_as_string(hide_password=False)
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE "{name}"'))
    finally:
        await admin.dispose()


async def measure_planners(url: str, shape: Shape) -> float:
    """Run the planners at each of their busiest hours on a copy of the data; return the longest run."""
    longest = 0.0
    async with scratch_copy(url) as copy:
        db = Database.from_url(copy)
        try:
            committee_id = await find(db, shape)
            assert committee_id is not None, "the data is not generated"
            async with db.begin() as conn:
                person = await accounts.create_person(conn, "Ủy viên đo tải", PLANNER_MOMENTS[0])
                await accounts.grant_role(conn, person, COMMITTEE, committee_id, None, PLANNER_MOMENTS[0])
            for moment in PLANNER_MOMENTS:
                started = time.perf_counter()
                planned = await run_planners(db, FixedClock(moment))
                longest = max(longest, time.perf_counter() - started)
                assert planned, f"nothing planned at {moment}"
        finally:
            await db.dispose()
    return longest


async def measure(step: str, url: str, shape: Shape) -> dict[str, float]:
    """Run one step in this process and return its seconds and this process's peak RSS."""
    clock = FixedClock(datetime(2015, 12, 31, 10, tzinfo=LOCAL_TZ))
    if step == "planners":
        seconds = await measure_planners(url, shape)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {"seconds": seconds, "rss_mb": peak_mb, "bytes": 0}
    db = Database.from_url(url)
    try:
        committee_id = await find(db, shape)
        assert committee_id is not None, "the data is not generated"
        started = time.perf_counter()
        if step == "digest":
            async with db.begin() as conn:
                gathered = await digest.gather(conn, committee_id, parse_period("12/2015", TODAY), TODAY)
            size = len(digest.render(gathered))
        else:
            with tempfile.TemporaryDirectory(prefix="chibo-export-") as out:
                path = await export_to_dir(
                    db, clock, Scope(committee_id), parse_period("2015", TODAY), "xlsx", Path(out)
                )
                size = path.stat().st_size
        seconds = time.perf_counter() - started
    finally:
        await db.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "rss_mb": peak_mb, "bytes": size}


def run_step(step: str, url: str, shape: Shape) -> dict[str, float]:
    """Run one measured step in a child process and return its figures."""
    command = [
        sys.executable,
        "-m",
        "bench.province",
        "--step",
        step,
        "--url",
        url,
        "--cells",
        str(shape.cells),
        "--members",
        str(shape.members),
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise SystemExit(f"{step} on {shape.key} failed:\n{result.stderr}")
    return json.loads(result.stdout.splitlines()[-1])


def report(backend: str, ward_url: str, province_url: str, ward: Shape, province: Shape) -> None:
    """Measure both steps on the ward and the province and print them side by side."""
    scale = province.cells / ward.cells
    for step in GOALS:
        w = run_step(step, ward_url, ward)
        p = run_step(step, province_url, province)
        goal = GOALS[step]
        verdict = "met" if p["seconds"] < goal and p["rss_mb"] < GOAL_RSS_MB else "MISSED"
        print(
            f"{backend:10} {step:6} ward {w['seconds']:7.2f} s {w['rss_mb']:6.0f} MB | "
            f"province {p['seconds']:7.2f} s {p['rss_mb']:6.0f} MB | "
            f"time ×{p['seconds'] / w['seconds']:.1f} for ×{scale:.0f} the data | "
            f"goal < {goal:g} s, < {GOAL_RSS_MB:g} MB: {verdict}",
            flush=True,
        )


async def main() -> None:
    """Prepare the data, then measure each step in its own process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="a 20-cell ward and a 100-cell province: a smoke test"
    )
    parser.add_argument("--cells", type=int, default=5000, help="cells of the province (default 5000)")
    parser.add_argument("--members", type=int, default=40, help="members per cell (default 40)")
    parser.add_argument("--postgres-url", default=os.environ.get("CHIBO_BENCH_POSTGRES_URL"))
    parser.add_argument("--step", choices=tuple(GOALS), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step is not None:
        print(json.dumps(await measure(args.step, args.url, Shape(args.cells, args.members))))
        return
    ward = Shape(20 if args.quick else 100, args.members)
    province = Shape(100 if args.quick else args.cells, args.members)
    print(
        f"ward {ward.cells} cells × {ward.members}, province {province.cells} cells × {province.members} "
        f"({province.cells * province.members:,} members), 12 months of 2015; "
        "digest of 12/2015, export of 2015, planners at 08:00 on 06/11/2015 and 16/11/2015 (the longer)",
        flush=True,
    )
    report("sqlite", await ensure_sqlite(ward), await ensure_sqlite(province), ward, province)
    if not args.postgres_url:
        print("postgresql: skipped (no --postgres-url or CHIBO_BENCH_POSTGRES_URL)")
        return
    ward_url = await ensure_postgres(args.postgres_url, ward)
    province_url = await ensure_postgres(args.postgres_url, province)
    report("postgresql", ward_url, province_url, ward, province)


if __name__ == "__main__":
    asyncio.run(main())
