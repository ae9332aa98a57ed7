"""The admin command line, run as people and scripts run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from storage.accounts import CODE_ALPHABET, CODE_LENGTH
from tests.e2e.botprocess import ROOT, admin, bot_env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Return the environment of a CLI run on a fresh SQLite file with the demo ward."""
    environment = bot_env(f"sqlite+aiosqlite:///{tmp_path}/chibo.db")
    admin(environment, "demo")
    return environment


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python bot.py admin …` and return the finished process."""
    return subprocess.run(
        [sys.executable, "bot.py", "admin", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_demo_is_idempotent(env: dict[str, str]) -> None:
    """Loading the demo twice keeps one ward with its four cells."""
    assert "Không thay đổi gì" in admin(env, "demo")
    listing = admin(env, "list")
    assert listing.count("Chi bộ") == 4 and "34 đảng viên" in listing


def test_invite_prints_code_alone_on_last_line(env: dict[str, str]) -> None:
    """`admin invite` ends with the bare code, so scripts can take the last line."""
    last = admin(env, "invite", "--role", "secretary", "--cell", "Chi bộ 12").splitlines()[-1]
    assert len(last) == CODE_LENGTH and set(last) <= set(CODE_ALPHABET)
    assert last in admin(env, "invites")


def test_invite_for_a_cell_role_needs_the_cell(env: dict[str, str]) -> None:
    """A secretary invite without --cell is refused with what to add."""
    result = run(env, "invite", "--role", "secretary")
    assert result.returncode == 1 and "--cell" in result.stderr


def test_import_reports_bad_rows_and_writes_nothing(env: dict[str, str], tmp_path: Path) -> None:
    """A roster with bad rows names their lines, and the cell keeps its members."""
    roster = tmp_path / "ds.csv"
    roster.write_text(
        "Họ và tên,Năm sinh,Loại,Miễn sinh hoạt,Ngày vào Đảng\n"
        "Ngô Văn Sơn,1960,chính thức,không,03/02/1990\n"
        "Bùi Thị Hoa,19x5,chính thức,không,03/02/1990\n"
        "Lý Văn Tú,1970,hội viên,không,03/02/1995\n",
        encoding="utf-8",
    )
    result = run(env, "import-members", "--cell", "Chi bộ 14", str(roster))
    assert result.returncode == 1 and "Dòng 3" in result.stderr and "Dòng 4" in result.stderr
    assert "Chi bộ 14 (khu dân cư): 27 đảng viên" in admin(env, "list")


def test_import_adds_every_valid_row(env: dict[str, str], tmp_path: Path) -> None:
    """A valid roster is imported whole into the named cell."""
    roster = tmp_path / "ds.csv"
    roster.write_text(
        "Họ và tên;Năm sinh;Loại;Miễn sinh hoạt;Ngày vào Đảng\n"
        "Ngô Văn Sơn;1960;chính thức;không;03/02/1990\n"
        "Bùi Thị Hoa;1995;dự bị;không;19/05/2015\n",
        encoding="utf-8-sig",
    )
    assert "Đã nhập 2 đảng viên vào Chi bộ 14" in admin(
        env, "import-members", "--cell", "Chi bộ 14", str(roster)
    )
    assert "Chi bộ 14 (khu dân cư): 29 đảng viên" in admin(env, "list")


def test_create_committee_and_cell(env: dict[str, str]) -> None:
    """A new committee and its cell appear in the listing."""
    admin(env, "create-committee", "Đảng bộ phường Đức Giang")
    admin(
        env,
        "create-cell",
        "--committee",
        "Đảng bộ phường Đức Giang",
        "--kind",
        "school",
        "Chi bộ trường THCS Đức Giang",
    )
    listing = admin(env, "list")
    assert (
        "Đảng bộ phường Đức Giang" in listing
        and "Chi bộ trường THCS Đức Giang (trường học): 0 đảng viên" in listing
    )


def test_backup_and_restore_from_the_command_line(env: dict[str, str], tmp_path: Path) -> None:
    """`admin backup` prints the file last; `admin restore` puts it in an empty database and counts rows."""
    path = admin(env, "backup", "--to", str(tmp_path / "backups")).splitlines()[-1]
    assert Path(path).is_file() and Path(path).name.startswith("chibo-")
    restored = bot_env(f"sqlite+aiosqlite:///{tmp_path}/restored.db")
    output = admin(restored, "restore", path)
    assert "  members: 95" in output.splitlines()
    assert run(restored, "restore", path).returncode == 1


ROSTER = (
    "Họ và tên;Năm sinh;Loại;Miễn sinh hoạt;Ngày vào Đảng\n"
    "Ngô Văn Sơn;1960;chính thức;không;03/02/1990\n"
    "Bùi Thị Hoa;1995;dự bị;không;19/05/2015\n"
)


def test_import_twice_imports_nobody_twice(env: dict[str, str], tmp_path: Path) -> None:
    """The same roster imported again adds nobody and says whom it skipped."""
    roster = tmp_path / "ds.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    admin(env, "import-members", "--cell", "Chi bộ 14", str(roster))
    again = admin(env, "import-members", "--cell", "Chi bộ 14", str(roster))
    assert "Đã nhập 0 đảng viên" in again and "Bỏ qua 2 đồng chí" in again and "Ngô Văn Sơn (1960)" in again
    assert "Chi bộ 14 (khu dân cư): 29 đảng viên" in admin(env, "list")


def test_missing_file_is_one_line_and_a_failure(env: dict[str, str], tmp_path: Path) -> None:
    """A roster file that does not exist is said in one Vietnamese line, without a traceback."""
    result = run(env, "import-members", "--cell", "Chi bộ 14", str(tmp_path / "khong-co.csv"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Không tìm thấy tệp «{tmp_path / 'khong-co.csv'}». Đề nghị kiểm tra lại đường dẫn."
    ]


def test_cell_named_without_diacritics(env: dict[str, str], tmp_path: Path) -> None:
    """«Chi bo 14» finds Chi bộ 14; «chi bo 1» names two cells and lists them."""
    roster = tmp_path / "ds.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert "vào Chi bộ 14" in admin(env, "import-members", "--cell", "Chi bo 14", str(roster))
    result = run(env, "import-members", "--cell", "chi bo 1", str(roster))
    assert result.returncode == 1 and "Chi bộ 12, Chi bộ 14" in result.stderr


def test_reminders_confirm_the_change(env: dict[str, str]) -> None:
    """`admin reminders KEY=VALUE` says the old and the new value."""
    output = admin(env, "reminders", "report_deadline_day=7", "signer=Lê Quang Huy")
    assert "Đã đổi report_deadline_day: 5 → 7." in output
    assert "Đã đổi signer: Nguyễn Đức Thuận → Lê Quang Huy." in output


def test_second_secretary_invite_warns(env: dict[str, str]) -> None:
    """Inviting a secretary for a cell that has one warns, and the code stays alone on the last line."""
    lines = admin(
        env, "invite", "--role", "secretary", "--cell", "Chi bộ 12", "--name", "Lê Văn Bình"
    ).splitlines()
    assert "Chi bộ 12 đã có bí thư" in lines[0]
    assert len(lines[-1]) == CODE_LENGTH
    again = admin(env, "invite", "--role", "secretary", "--cell", "Chi bộ 12").splitlines()
    assert any(lines[-1] in line and "chưa dùng" in line for line in again)


def test_invites_show_name_and_role_in_words(env: dict[str, str]) -> None:
    """`admin invites` shows whom each invite is for and the role in Vietnamese."""
    admin(env, "invite", "--role", "deputy", "--cell", "Chi bộ 14", "--name", "Trần Văn Tâm")
    admin(env, "invite", "--role", "committee", "--name", "Đỗ Thị Hà", "--title", "Ủy viên UBKT")
    listing = admin(env, "invites")
    assert "Trần Văn Tâm — Phó Bí thư Chi bộ 14" in listing and "Đỗ Thị Hà — Ủy viên UBKT" in listing
