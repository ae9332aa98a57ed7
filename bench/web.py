"""The web view's ward at a glance, rendered by the server for a ward (100 cells) and a province (5,000).

The page is built as its route builds it: the digest gathered from the database, every cell
sorted, then the template rendered with the first page of the table (200 cells). The data is the
province benchmark's (generated once per shape and cached, see bench.province); `--quick`: a
20-cell ward and a 100-cell province.
Each figure is the median of a few runs in one process, after one warm-up run.

    .venv/bin/python -m bench.web [--quick] [--runs 5] [--postgres-url postgresql+asyncpg://…/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from datetime import datetime

import aiohttp_jinja2

from bench.orgdata import Shape, find
from bench.province import TODAY, ensure_postgres, ensure_sqlite
from domain.clock import LOCAL_TZ, FixedClock
from domain.digest import MONTH, Period
from domain.identity import COMMITTEE, Identity, RoleGrant
from settings import Settings
from storage.db import Database
from web import pages
from web.app import Desk

PERIOD = Period(MONTH, 2015, 12)
CLOCK = FixedClock(datetime(2015, 12, 31, 10, tzinfo=LOCAL_TZ))
# The goals of the issue: the ward's page in a tenth of a second, the province's in one.
GOALS = {"ward": 0.1, "province": 1.0}


async def measure(url: str, shape: Shape, runs: int) -> tuple[float, float, int]:
    """Return the median seconds of gathering and of rendering the ward page, and the page's size."""
    db = Database.from_url(url)
    try:
        committee_id = await find(db, shape)
        assert committee_id is not None, "the data is not generated"
        settings = Settings()
        env = aiohttp_jinja2.get_env(Desk(db, CLOCK, settings).application())
        template = env.get_template("ward.html")
        me = Identity(0, 0, "Đo tải", None, (RoleGrant(COMMITTEE, committee_id, shape.committee),))
        gathered, rendered = [], []
        for _ in range(runs + 1):
            started = time.perf_counter()
            async with db.read() as conn:
                context = await pages.ward(
                    conn, committee_id, PERIOD, TODAY, None, None, settings.web_cells_per_page
                )
            middle = time.perf_counter()
            page = template.render({**context, "me": me})
            gathered.append(middle - started)
            rendered.append(time.perf_counter() - middle)
        assert context["cell_count"] == shape.cells
    finally:
        await db.dispose()
    return statistics.median(gathered[1:]), statistics.median(rendered[1:]), len(page.encode())


async def report(
    backend: str, urls: dict[str, str], shapes: dict[str, Shape], runs: int, *, judged: bool
) -> None:
    """Measure the ward and the province and print one line each; the goals judge full-size runs only."""
    for name in ("ward", "province"):
        gather, render, size = await measure(urls[name], shapes[name], runs)
        total = gather + render
        goal = GOALS[name]
        verdict = ("met" if total < goal else "MISSED") if judged else "not judged (--quick)"
        print(
            f"{backend:10} {name:8} {shapes[name].cells:5} cells: gather {gather:6.3f} s + render "
            f"{render:6.3f} s = {total:6.3f} s, page {size / 1024:5.0f} KiB | goal < {goal:g} s: {verdict}",
            flush=True,
        )


async def main() -> None:
    """Prepare the data, then measure the page on SQLite (and PostgreSQL when given)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 20-cell ward and a 100-cell province")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per page (default 5)")
    parser.add_argument("--postgres-url", default=os.environ.get("CHIBO_BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    shapes = {
        "ward": Shape(20 if args.quick else 100, 40),
        "province": Shape(100 if args.quick else 5000, 40),
    }
    print(f"ward at a glance of {PERIOD.key}, median of {args.runs} runs after a warm-up", flush=True)
    urls = {name: await ensure_sqlite(shape) for name, shape in shapes.items()}
    await report("sqlite", urls, shapes, args.runs, judged=not args.quick)
    if not args.postgres_url:
        print("postgresql: skipped (no --postgres-url or CHIBO_BENCH_POSTGRES_URL)")
        return
    urls = {name: await ensure_postgres(args.postgres_url, shape) for name, shape in shapes.items()}
    await report("postgresql", urls, shapes, args.runs, judged=not args.quick)


if __name__ == "__main__":
    asyncio.run(main())
