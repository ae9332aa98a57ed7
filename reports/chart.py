"""The digest chart: per-cell on-time reports and attendance by month, and pledge progress, as a PNG."""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from io import BytesIO

from sqlalchemy.ext.asyncio import AsyncConnection

from core.messages import Outbound
from domain.calendar import report_deadline
from domain.digest import ON_TIME, DigestSettings, FiledReport, PledgeFigures, report_month, standing_by
from domain.meetings import month_index
from reports.digest import DIGEST_CELLS_PER_QUERY, filed_reports, in_batches
from storage import org, pledges, reports
from storage.db import Database
from texts import digest as t

# DejaVu Sans ships with matplotlib and covers Vietnamese, so no font has to be installed.
FONT = "DejaVu Sans"
MONTHS = 6
# Beyond this many cells, one line per cell is unreadable: the ward's average is drawn alone.
MAX_LINES = 8
# Beyond this many cells, one bar per cell makes an image taller than a photo may be (a province's
# would be 175,000 pixels and take minutes to draw): the bars show the cells needing most attention.
MAX_BARS = 40


@dataclass(frozen=True)
class CellSeries:
    """One cell's figures over the chart's months."""

    name: str
    on_time: int
    rates: tuple[float | None, ...]
    done: int
    overdue: int
    other: int


@dataclass(frozen=True)
class ChartData:
    """What the chart draws: the months, each cell's series, and the ward's average attendance."""

    committee: str
    months: tuple[tuple[int, int], ...]
    cells: tuple[CellSeries, ...]
    ward_rates: tuple[float | None, ...]

    @property
    def month_labels(self) -> list[str]:
        """Name the months as «8/2015»."""
        return [f"{m}/{y}" for y, m in self.months]

    def labels(self) -> list[str]:
        """Return every piece of text the chart draws."""
        return [
            t.CHART_TITLE,
            self.committee,
            t.CHART_ON_TIME,
            t.CHART_ATTENDANCE,
            t.CHART_PLEDGES,
            t.CHART_MONTH,
            t.CHART_DONE,
            t.CHART_OVERDUE,
            t.CHART_OTHER,
            t.CHART_NO_DATA,
            t.CHART_WARD,
            *self.month_labels,
            *(c.name for c in self.cells),
        ]


def last_months(today: date, count: int) -> tuple[tuple[int, int], ...]:
    """Return the `count` months ending with the month whose reports are being collected, oldest first."""
    last = report_month(today)
    end = month_index(last.year, last.index)
    return tuple((i // 12, i % 12 + 1) for i in range(end - count + 1, end + 1))


async def gather(
    conn: AsyncConnection,
    committee_id: int,
    today: date,
    count: int = MONTHS,
    figures: Mapping[int, PledgeFigures] | None = None,
) -> ChartData:
    """Gather each cell's on-time reports, monthly attendance and pledge progress, unless `figures` has it."""
    committee = await org.get_committee(conn, committee_id)
    settings = DigestSettings.from_committee(committee.settings).report
    months = last_months(today, count)
    # The same deadlines for every cell: worked out once, as the digest does.
    deadlines = {(y, m): report_deadline(y, m, settings) for y, m in months}
    series = []
    totals: dict[tuple[int, int], list[int]] = {m: [0, 0] for m in months}
    cells = await org.list_cells(conn, committee_id)
    # Only the chart's months are read: a province's other reports are most of its rows.
    shown = (date(months[0][0], months[0][1], 1), date(months[-1][0], months[-1][1], 1))
    for batch in in_batches(cells, DIGEST_CELLS_PER_QUERY):
        cell_ids = [cell.id for cell in batch]
        summaries = await reports.summaries_of_cells(conn, cell_ids, shown)
        counted = (
            figures
            if figures is not None
            else await pledges.figures_of_cells(conn, cell_ids, today.year, today)
        )
        for cell in batch:
            by_month: dict[tuple[int, int], list[FiledReport]] = {month: [] for month in months}
            for report in filed_reports(summaries[cell.id]):
                by_month[(report.year, report.month)].append(report)
            on_time = sum(
                1
                for (y, m), mine in by_month.items()
                if standing_by(y, m, deadlines[(y, m)], mine, today).status == ON_TIME
            )
            rates = []
            for month, mine in by_month.items():
                expected, present = sum(r.expected for r in mine), sum(r.present for r in mine)
                totals[month][0] += present
                totals[month][1] += expected
                rates.append(present / expected if expected else None)
            p = counted[cell.id]
            series.append(
                CellSeries(cell.name, on_time, tuple(rates), p.done, p.overdue, p.items - p.done - p.overdue)
            )
    ward = tuple(present / expected if expected else None for present, expected in totals.values())
    return ChartData(committee.name, months, tuple(series), ward)


def _nfc(text: str) -> str:
    """Compose Vietnamese letters, so each one is a single glyph of the font."""
    return unicodedata.normalize("NFC", text)


def render(data: ChartData) -> bytes:
    """Draw the chart and return it as PNG bytes."""
    # Imported here so that starting the bot does not pay for matplotlib.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    few_on_time = most_overdue = list(data.cells)
    if len(data.cells) > MAX_BARS:
        few_on_time = sorted(data.cells, key=lambda c: c.on_time)[:MAX_BARS]
        most_overdue = sorted(data.cells, key=lambda c: -c.overdue)[:MAX_BARS]
    bars = len(few_on_time)
    height = 7 + 0.35 * bars
    figure = Figure(figsize=(10, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(_nfc(f"{t.CHART_TITLE} — {data.committee}"), fontsize=13, fontfamily=FONT)
    on_time, attendance, progress = figure.subplots(3, 1, height_ratios=(1 + 0.1 * bars, 1.6, 1 + 0.1 * bars))

    def titled(title: str) -> str:
        """Say when a bar panel shows only some of the cells."""
        shown = len(few_on_time)
        return title if shown == len(data.cells) else t.chart_fewest(title, shown, len(data.cells))

    positions = list(range(len(few_on_time)))
    on_time.barh(positions, [c.on_time for c in few_on_time], color="#2e7d32")
    on_time.set_yticks(positions, [_nfc(c.name) for c in few_on_time], fontfamily=FONT)
    on_time.set_xlim(0, len(data.months))
    on_time.invert_yaxis()
    on_time.set_title(titled(t.CHART_ON_TIME), fontfamily=FONT, loc="left")

    x = list(range(len(data.months)))
    lines = data.cells if len(data.cells) <= MAX_LINES else ()
    for cell in lines:
        attendance.plot(
            x, [None if r is None else r * 100 for r in cell.rates], marker="o", label=_nfc(cell.name)
        )
    attendance.plot(
        x,
        [None if r is None else r * 100 for r in data.ward_rates],
        color="black",
        linewidth=2.5,
        label=t.CHART_WARD,
    )
    attendance.set_xticks(x, data.month_labels, fontfamily=FONT)
    attendance.set_ylim(0, 105)
    attendance.set_xlabel(t.CHART_MONTH, fontfamily=FONT)
    attendance.set_title(t.CHART_ATTENDANCE, fontfamily=FONT, loc="left")
    attendance.legend(prop={"family": FONT, "size": 8}, loc="lower left", ncols=3)

    done = [c.done for c in most_overdue]
    overdue = [c.overdue for c in most_overdue]
    other = [c.other for c in most_overdue]
    positions = list(range(len(most_overdue)))
    progress.barh(positions, done, color="#2e7d32", label=t.CHART_DONE)
    progress.barh(positions, overdue, left=done, color="#c62828", label=t.CHART_OVERDUE)
    progress.barh(
        positions,
        other,
        left=[d + o for d, o in zip(done, overdue, strict=True)],
        color="#9e9e9e",
        label=t.CHART_OTHER,
    )
    progress.set_yticks(positions, [_nfc(c.name) for c in most_overdue], fontfamily=FONT)
    progress.invert_yaxis()
    progress.set_title(titled(t.CHART_PLEDGES), fontfamily=FONT, loc="left")
    progress.legend(prop={"family": FONT, "size": 8}, loc="lower right")
    if not any(done + overdue + other):
        progress.text(0.5, 0.5, t.CHART_NO_DATA, transform=progress.transAxes, ha="center", fontfamily=FONT)

    for axes in (on_time, progress):
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    for axes in (on_time, attendance, progress):
        for label in axes.get_xticklabels() + axes.get_yticklabels():
            label.set_fontfamily(FONT)
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


async def chart_message(data: ChartData) -> Outbound:
    """Draw the chart away from the event loop, and caption it."""
    png = await asyncio.to_thread(render, data)
    labels = data.month_labels
    return Outbound(t.chart_caption(data.committee, t.months_span(labels[0], labels[-1])), photo=png)


async def build_message(db: Database, committee_id: int, today: date) -> Outbound:
    """Gather and draw the chart from a snapshot, away from the event loop, and caption it."""
    return await db.off_loop(partial(_built, committee_id=committee_id, today=today))


async def _built(db: Database, *, committee_id: int, today: date) -> Outbound:
    """Gather the chart's data from a snapshot of the database, then draw it."""
    async with db.read() as conn:
        data = await gather(conn, committee_id, today)
    return await chart_message(data)
