"""The minutes of a meeting, from a filed report: in chat (/bienban), from /xembaocao, and by the CLI."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from admin.demo_data import DemoWard
from admin.export import export_minutes
from core.app import App
from storage.db import Database
from tests.conftest import Chat, chat_as
from tests.test_exports import paragraphs
from tests.test_report_flow import filed_code, fill, secretary

__all__ = ["secretary"]
from texts import documents as td
from texts import exports as t


@pytest.fixture
async def filed(secretary: Chat) -> tuple[Chat, str]:
    """Chi bộ 12's August report, with guests and a vote, amended once to move the meeting's place."""
    await fill(secretary, guests="Đồng chí Nguyễn Văn Hùng, Đảng ủy viên phụ trách", vote="24/1")
    await secretary.say("gửi")
    code = filed_code(secretary)
    await secretary.say(f"/suabaocao {code}")
    await secretary.say("6")
    await secretary.say("Hội trường khu dân cư số 5")
    await secretary.say("gửi")
    return secretary, code


def text_of(chat: Chat) -> list[str]:
    """Return the paragraphs of the document the chat received last."""
    document = next(m.document for m in reversed(chat.last) if m.document)
    assert document is not None
    return [p for p in paragraphs(Document(BytesIO(document))) if p]


async def test_minutes_have_every_element_in_order(filed: tuple[Chat, str]) -> None:
    """Heading, title, time and place, the people, contents, vote, closing line and both signatures."""
    chat, code = filed
    await chat.say(f"/bienban {code}")
    text = text_of(chat)
    expected = [
        "BIÊN BẢN",
        "Sinh hoạt chi bộ thường kỳ tháng 8/2015",
        (
            "Hôm nay, vào lúc 19 giờ 30 phút, ngày 05 tháng 8 năm 2015, tại Hội trường khu dân cư số 5, "
            "Chi bộ 12 tiến hành sinh hoạt thường kỳ tháng 8/2015."
        ),
        "- Chủ trì: đồng chí Bùi Thúy Lan.",
        "- Thư ký: đồng chí Dương Thị Huyền.",
        (
            "- Tổng số đảng viên của chi bộ: 33 đồng chí; miễn sinh hoạt: 4 đồng chí; "
            "phải dự sinh hoạt: 29 đồng chí."
        ),
        "- Có mặt: 26 đồng chí (đạt 89,7%).",
        "- Vắng có lý do: 2 đồng chí: Dương Kim Hương (Ốm), Lê Phương Huyền (đi viện).",
        "- Vắng không lý do: 1 đồng chí: Lưu Thị Lan.",
        "- Khách mời: Đồng chí Nguyễn Văn Hùng, Đảng ủy viên phụ trách.",
        "1. Đánh giá việc thực hiện nhiệm vụ tháng trước",
        "Hoàn thành thu đảng phí.",
        "2. Học tập và làm theo tấm gương đạo đức Hồ Chí Minh",
        "4. Nghị quyết, nhiệm vụ tháng tới",
        (
            "Chi bộ biểu quyết thông qua nghị quyết: tán thành 24/25 đồng chí đảng viên chính thức "
            "có mặt (96%); không tán thành 1 đồng chí."
        ),
        "Buổi sinh hoạt kết thúc lúc 21 giờ 30 phút cùng ngày.",
    ]
    assert [p for p in text if p in expected] == expected
    signatures = text[text.index(td.MINUTES_TAKER) :]
    assert signatures == [td.MINUTES_TAKER, "Dương Thị Huyền", td.CHAIR, "Bùi Thúy Lan"]


async def test_view_offers_the_minutes(filed: tuple[Chat, str]) -> None:
    """/xembaocao shows the report with «Xuất biên bản», which sends the Word file."""
    chat, code = filed
    await chat.say(f"/xembaocao {code}")
    assert [o.label for o in chat.last[-1].options] == [td.EXPORT_MINUTES]
    await chat.press(td.EXPORT_MINUTES)
    assert chat.last[-1].document_name == "bien-ban-chi-bo-12-2015-08-thuong-ky.docx"


async def test_another_cell_cannot_get_the_minutes(
    app: App, db: Database, filed: tuple[Chat, str], ward: DemoWard
) -> None:
    """Chi bộ 14's secretary gets no minutes of Chi bộ 12's report."""
    _, code = filed
    other = await chat_as(app, db, ward.cells[1].secretary)
    await other.say(f"/bienban {code}")
    assert not any(m.document for m in other.last) and "Không tìm thấy báo cáo" in other.text()


async def test_command_line_writes_the_minutes(db: Database, filed: tuple[Chat, str], tmp_path: Path) -> None:
    """`export --report BC0001 --format minutes` writes the file and names it."""
    _, code = filed
    lines = await export_minutes(db, code, tmp_path)
    path = tmp_path / "bien-ban-chi-bo-12-2015-08-thuong-ky.docx"
    assert lines == [t.written(str(path))]
    assert "Buổi sinh hoạt kết thúc lúc 21 giờ 30 phút cùng ngày." in paragraphs(Document(str(path)))
