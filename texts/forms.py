"""What the form engine says: prompts around steps, the summary, drafts, cancelling."""

from __future__ import annotations

SUBMIT = "Gửi"
SAVE_DRAFT = "Lưu nháp"
CONTINUE_DRAFT = "Tiếp tục bản nháp"
START_OVER = "Làm lại từ đầu"
BACK_WORDS = ("quay lai", "tro lai", "lui")
# Asks for a long question (a roster) again in full, when its short form was shown.
SHOW_AGAIN_WORDS = ("danh sach", "xem danh sach", "xem lai danh sach")
SUBMIT_WORDS = ("gui", "xac nhan", "dong y", "nop")
SAVE_DRAFT_WORDS = ("luu nhap", "luu", "nhap")
EDIT_PREFIXES = ("sua muc ", "sua ", "muc ")
KEEP = "Giữ nguyên"
KEEP_WORDS = ("giu nguyen", "nhu cu", "giu nhu cu", "van nhu cu", "khong doi")
TEXT_NEEDS_WORDS = "nội dung cần có chữ hoặc số, không chỉ có biểu tượng. Đề nghị đồng chí gõ lại."


def invalid(reason: str) -> str:
    """Say an answer was not accepted and why."""
    return f"Chưa hợp lệ: {reason}"


def current_value(shown: str) -> str:
    """Remind the user of the answer already given for this step."""
    return f"(Đã nhập: {shown}. Gõ nội dung mới để thay, hoặc chọn «{KEEP}» để giữ như cũ.)"


def nothing_to_keep() -> str:
    """Say there is no earlier answer to keep."""
    return "câu này chưa có câu trả lời trước để giữ nguyên. Đề nghị đồng chí trả lời câu hỏi."


def form_started(title: str) -> str:
    """Open a form, saying how to go back or pause."""
    return (
        f"Bắt đầu «{title}». Trong khi nhập, gõ «quay lại» để sửa câu trước, "
        "/huy để tạm dừng (bản nháp được giữ lại)."
    )


def skip_hint() -> str:
    """Tell the user an optional step can be skipped."""
    return "Gõ «không» hoặc «bỏ qua» nếu không có."


def summary(title: str, lines: list[str], count: int) -> str:
    """Show every answer numbered and how to submit, edit or keep as draft."""
    body = "\n".join(lines)
    return (
        f"{title} — đề nghị đồng chí kiểm tra lại:\n\n{body}\n\n"
        f"Gõ số mục (1–{count}) để sửa mục đó; gõ «{SUBMIT}» để gửi, hoặc «{SAVE_DRAFT}» để lưu lại gửi sau."
    )


def summary_not_understood(count: int) -> str:
    """Say the summary answer was not understood."""
    return (
        f"Chưa rõ ý đồng chí. Gõ số mục từ 1 đến {count} để sửa, «{SUBMIT}» để gửi, "
        f"hoặc «{SAVE_DRAFT}» để lưu nháp."
    )


def draft_found(title: str, saved_at: str) -> str:
    """Offer to continue an unfinished draft."""
    return f"Đồng chí có bản nháp «{title}» lưu lúc {saved_at}. Đồng chí muốn tiếp tục hay làm lại từ đầu?"


def draft_saved(title: str, command: str) -> str:
    """Confirm a draft was kept."""
    return f"Đã lưu bản nháp «{title}». Khi cần, đồng chí gõ {command} để tiếp tục."


def cancelled(title: str, command: str | None) -> str:
    """Confirm a flow was stopped, keeping its draft when there is one."""
    if command is None:
        return f"Đã dừng «{title}»."
    return f"Đã tạm dừng «{title}». Bản nháp được giữ lại; gõ {command} để tiếp tục."


def stale_button() -> str:
    """Say a button from an earlier question was pressed."""
    return "Nút này thuộc câu hỏi trước. Đề nghị đồng chí trả lời câu hỏi hiện tại:"


def list_changed() -> str:
    """Say the list a question numbers changed since it was sent, so the answer was not recorded."""
    return (
        "Danh sách trong câu hỏi này vừa thay đổi sau khi gửi (được thêm, bớt hoặc đổi tên), nên số "
        "thứ tự có thể đã khác. Câu trả lời vừa rồi chưa được ghi để tránh ghi nhầm. Đề nghị đồng chí "
        "xem danh sách mới dưới đây và trả lời lại:"
    )


def busy_in_flow(title: str) -> str:
    """Say another flow cannot start while one is open."""
    return (
        f"Đồng chí đang nhập «{title}». Gõ /huy để tạm dừng (bản nháp được giữ lại) "
        "rồi gõ lại lệnh; hoặc trả lời tiếp câu hỏi dưới đây."
    )


def resume_after_command(title: str) -> str:
    """Lead back into the open flow after answering an unrelated command."""
    return f"Tiếp tục «{title}»:"


def too_long(limit: int) -> str:
    """Refuse an answer over the length limit."""
    return (
        f"nội dung dài quá {limit} ký tự. Đề nghị đồng chí rút gọn, "
        "hoặc tách phần chi tiết để ghi vào sổ biên bản."
    )


def empty_answer() -> str:
    """Refuse an empty answer."""
    return "đồng chí chưa nhập nội dung. Đề nghị trả lời bằng chữ."


def no_value() -> str:
    """Show an unanswered or skipped field in the summary."""
    return "—"
