"""Who may see and edit which cell."""

from __future__ import annotations

from domain.identity import Identity, RoleGrant

WARD = 1
OTHER_WARD = 2


def person(*grants: RoleGrant) -> Identity:
    """Build an identity holding the given roles."""
    return Identity(person_id=1, account_id=1, full_name="Nguyễn Văn An", member_id=None, grants=grants)


def test_secretary_sees_and_edits_only_own_cell() -> None:
    """A secretary of cell 12 reaches cell 12 and no other."""
    secretary = person(RoleGrant("secretary", WARD, "Đảng bộ phường Phúc Lợi", 12, "Chi bộ 12"))
    assert secretary.can_see_cell(12, WARD) and secretary.can_edit_cell(12)
    assert not secretary.can_see_cell(14, WARD) and not secretary.can_edit_cell(14)


def test_committee_member_sees_every_cell_of_their_committee_only() -> None:
    """A committee member reads all cells of the ward, none of another ward, and edits none."""
    member = person(RoleGrant("committee", WARD, "Đảng bộ phường Phúc Lợi"))
    assert member.can_see_cell(12, WARD) and member.can_see_cell(14, WARD)
    assert not member.can_see_cell(3, OTHER_WARD) and not member.can_edit_cell(12)


def test_plain_member_sees_own_cell_but_edits_nothing() -> None:
    """A member may read their cell but not file for it."""
    member = person(RoleGrant("member", WARD, "Đảng bộ phường Phúc Lợi", 12, "Chi bộ 12"))
    assert member.can_see_cell(12, WARD) and not member.can_edit_cell(12)
