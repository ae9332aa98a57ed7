"""The digest chart: a valid PNG whose Vietnamese labels all have glyphs in the font it is drawn with."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
import warnings
from datetime import date
from io import BytesIO

import pytest
from fontTools.ttLib import TTFont
from matplotlib.font_manager import FontProperties, findfont
from PIL import Image

from admin.demo_data import DemoWard
from core.app import App
from core.parsing import parse_period
from domain.clock import FixedClock
from reports import chart, digest
from storage.db import Database
from tests.conftest import chat_as
from tests.test_digest import Seeded, seed

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def seeded(db: Database, clock: FixedClock, ward: DemoWard) -> Seeded:
    """The demo ward with August 2015 seeded."""
    return await seed(db, clock)


@pytest.fixture
async def data(db: Database, seeded: Seeded) -> chart.ChartData:
    """The seeded ward's chart data as of 10/09/2015."""
    async with db.begin() as conn:
        return await chart.gather(conn, seeded.committee_id, date(2015, 9, 10))


async def test_chart_data_of_the_seeded_ward(data: chart.ChartData) -> None:
    """Six months to August; Chi bộ 12 on time once at 93,3%, one item done and one overdue."""
    assert data.months == ((2015, 3), (2015, 4), (2015, 5), (2015, 6), (2015, 7), (2015, 8))
    c12 = next(c for c in data.cells if c.name == "Chi bộ 12")
    assert (c12.on_time, c12.done, c12.overdue, c12.other) == (1, 1, 1, 0)
    assert c12.rates[-1] == pytest.approx(28 / 30) and c12.rates[0] is None


async def test_chart_given_the_digest_pledge_figures_draws_the_same(
    db: Database, seeded: Seeded, data: chart.ChartData
) -> None:
    """Drawn from the monthly digest's count of the year's pledges, the chart shows what it would count."""
    today = date(2015, 9, 10)
    async with db.begin() as conn:
        gathered = await digest.gather(conn, seeded.committee_id, parse_period("8/2015", today), today)
        counted = {c.cell_id: c.pledges for c in gathered.cells}
        given = await chart.gather(conn, seeded.committee_id, today, figures=counted)
    assert given == data and any(c.done or c.overdue for c in given.cells)


async def test_chart_is_a_valid_png(data: chart.ChartData) -> None:
    """The bytes are a PNG that opens as a picture of a sensible size."""
    png = chart.render(data)
    assert png.startswith(PNG_SIGNATURE)
    with Image.open(BytesIO(png)) as image:
        image.verify()
    with Image.open(BytesIO(png)) as image:
        assert image.format == "PNG" and image.width >= 800 and image.height >= 600


async def test_font_has_a_glyph_for_every_label_character(data: chart.ChartData) -> None:
    """Every character the chart writes (titles, legend, cells, months) is in the font's character map."""
    path = findfont(FontProperties(family=chart.FONT), fallback_to_default=False)
    cmap = TTFont(path)["cmap"].getBestCmap()
    text = unicodedata.normalize("NFC", "".join(data.labels()))
    assert "ệ" in text or "ộ" in text
    missing = sorted({char for char in text if not char.isspace() and ord(char) not in cmap})
    assert missing == []


async def test_drawing_warns_of_no_missing_glyph(data: chart.ChartData) -> None:
    """Matplotlib reports no glyph missing while drawing the chart."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chart.render(data)
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []


async def test_bieudo_sends_the_chart_as_a_photo(
    app: App, db: Database, ward: DemoWard, seeded: Seeded
) -> None:
    """/bieudo answers with the PNG and a caption naming the months."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/bieudo")
    reply = chief.last[0]
    assert reply.photo is not None and reply.photo.startswith(PNG_SIGNATURE)
    assert "tháng 3/2015 đến tháng 8/2015" in reply.text


def test_bot_starts_without_matplotlib() -> None:
    """Loading the handlers does not import matplotlib; only drawing a chart does."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, handlers, schedules.scheduler; print('matplotlib' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "False"


def test_a_province_chart_shows_the_cells_needing_most_attention() -> None:
    """A chart of more cells than bars fit stays as tall as a chart of as many bars as fit."""
    cells = tuple(
        chart.CellSeries(f"Chi bộ {n}", n % 7, (0.9, None), 1, n % 5, 2) for n in range(chart.MAX_BARS * 3)
    )
    data = chart.ChartData("Đảng bộ tỉnh", ((2015, 10), (2015, 11)), cells, (0.9, None))
    image = Image.open(BytesIO(chart.render(data)))
    assert image.height < 100 * (8 + 0.35 * chart.MAX_BARS)
