"""Choices several forms offer."""

from __future__ import annotations

from core.forms import FormCtx
from core.messages import Option
from storage import org


async def committee_cells(fctx: FormCtx) -> list[Option]:
    """Offer the cells of the committee the form was opened for."""
    cells = await org.list_cells(fctx.ctx.conn, fctx.params["committee_id"])
    return [Option(cell.name, str(cell.id)) for cell in cells]
