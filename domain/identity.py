"""Who is speaking: a person, the account they use, and the roles they hold."""

from __future__ import annotations

from dataclasses import dataclass

COMMITTEE = "committee"
SECRETARY = "secretary"
DEPUTY = "deputy"
MEMBER = "member"
CELL_LEADERS = frozenset({SECRETARY, DEPUTY})


@dataclass(frozen=True)
class RoleGrant:
    """One role a person holds, in a committee and possibly a cell."""

    role: str
    committee_id: int
    committee_name: str
    cell_id: int | None = None
    cell_name: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Identity:
    """A known person speaking through one of their accounts."""

    person_id: int
    account_id: int
    full_name: str
    member_id: int | None
    grants: tuple[RoleGrant, ...]

    @property
    def roles(self) -> frozenset[str]:
        """Return the set of role names held."""
        return frozenset(grant.role for grant in self.grants)

    @property
    def is_committee(self) -> bool:
        """Tell whether the person sits on a committee (Đảng ủy or UBKT)."""
        return COMMITTEE in self.roles

    @property
    def led_cell(self) -> RoleGrant | None:
        """Return the grant of the cell the person leads as secretary or deputy, if any."""
        return next((g for g in self.grants if g.role in CELL_LEADERS), None)

    @property
    def led_cell_id(self) -> int | None:
        """Return the id of the cell the person leads as secretary or deputy, if any."""
        grant = self.led_cell
        return None if grant is None else grant.cell_id

    @property
    def committee_ids(self) -> frozenset[int]:
        """Return the committees whose cells this person can see as a committee member."""
        return frozenset(g.committee_id for g in self.grants if g.role == COMMITTEE)

    def can_see_cell(self, cell_id: int, cell_committee_id: int) -> bool:
        """Tell whether this person may read a cell's data."""
        if cell_committee_id in self.committee_ids:
            return True
        return any(g.cell_id == cell_id for g in self.grants)

    def can_edit_cell(self, cell_id: int) -> bool:
        """Tell whether this person may file and edit a cell's data."""
        return any(g.cell_id == cell_id and g.role in CELL_LEADERS for g in self.grants)
