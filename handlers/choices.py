"""Choices several forms offer."""

from __future__ import annotations

from core.forms import FormCtx
from core.messages import Option
from storage import org
from storage.org import YearTheme
from texts import common as tc


async def committee_cells(fctx: FormCtx) -> list[Option]:
    """Offer the cells of the committee the form was opened for."""
    cells = await org.list_cells(fctx.ctx.conn, fctx.params["committee_id"])
    return [Option(cell.name, str(cell.id)) for cell in cells]


async def year_theme(fctx: FormCtx, committee_id: int, year: int) -> YearTheme:
    """Return the committee's directive, theme and wording of a year, or the directive's own when unset."""
    theme = await fctx.once(
        ("year theme", committee_id, year), lambda: org.get_year_theme(fctx.ctx.conn, committee_id, year)
    )
    return theme or YearTheme(year, tc.directive_of(year), "", tc.wording_of(year))
