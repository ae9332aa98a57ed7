"""What the bot says about pledges: registration (/dangky), progress (/capnhat), reviews (/danhgia)."""

from __future__ import annotations

from collections.abc import Sequence

from domain.pledges import Problem
from domain.words import shorten

PLEDGE_TITLE = "Đăng ký học tập và làm theo"
PROGRESS_TITLE = "Cập nhật thực hiện cam kết"
REVIEW_TITLE = "Đánh giá đảng viên"
LEADERS_ONLY_PLEDGE_FOR_OTHERS = "Chỉ bí thư, phó bí thư chi bộ mới đăng ký cam kết thay cho đảng viên khác."
LEADERS_ONLY_PROGRESS_FOR_OTHERS = (
    "Chỉ bí thư, phó bí thư chi bộ mới cập nhật tiến độ thay cho đảng viên khác."
)

HELP_PLEDGE = "Đăng ký học tập và làm theo (cam kết năm)"
HELP_PROGRESS = "Cập nhật tiến độ thực hiện cam kết"
HELP_REVIEW = "Sơ kết, tổng kết và xếp loại đảng viên"

STATUS_NAMES = {
    "not_started": "chưa thực hiện",
    "in_progress": "đang thực hiện",
    "done": "hoàn thành",
    "failed": "không đạt",
}
STATUS_CHOICES = {
    "not_started": "Chưa thực hiện",
    "in_progress": "Đang thực hiện",
    "done": "Hoàn thành",
    "failed": "Không đạt",
}
REVIEW_NAMES = {"mid_year": "Sơ kết 6 tháng", "year_end": "Tổng kết năm"}
_REVIEWS_OF_YEAR = {"mid_year": "Sơ kết 6 tháng đầu năm {year}", "year_end": "Tổng kết năm {year}"}


def review_of_year(kind: str, year: int) -> str:
    """Name a review with its year: «Tổng kết năm 2015»."""
    return _REVIEWS_OF_YEAR[kind].format(year=year)


LABEL_MEMBER = "Đảng viên"
LABEL_YEAR = "Năm"
LABEL_ACTION = "Việc làm"
LABEL_DUTY = "Nhiệm vụ liên quan"
LABEL_INDICATOR = "Chỉ tiêu đo được"
LABEL_DEADLINE = "Thời hạn"
LABEL_MILESTONES = "Lộ trình"
LABEL_EVIDENCE = "Minh chứng"
LABEL_VERDICT = "Kiểm tra mức cụ thể"
LABEL_ITEM = "Mục cam kết"
LABEL_STATUS = "Tình trạng"
LABEL_NOTE = "Ghi chú"
LABEL_REVIEW_KIND = "Kỳ đánh giá"
LABEL_ASSESSMENT = "Nhận xét"
LABEL_RANKING = "Xếp loại"

SAVE_MORE = "Lưu, thêm mục khác"
SAVE_DONE = "Lưu và kết thúc"
EDIT = "Sửa lại cho cụ thể"
KEEP_VAGUE_MORE = "Vẫn lưu, thêm mục khác"
KEEP_VAGUE_DONE = "Vẫn lưu và kết thúc"
EDIT_TAKEN = "Sửa chỉ tiêu, thời hạn"

ASK_MEMBER = "Đề nghị đồng chí gõ số thứ tự hoặc họ tên đồng chí đảng viên."
ASK_MEMBER_AGAIN = (
    "Đề nghị gõ số thứ tự hoặc họ tên đồng chí đảng viên theo danh sách đã gửi; gõ «danh sách» để xem lại."
)
ASK_YEAR = "Đăng ký cho năm nào?"
ASK_DUTY = (
    "Việc này gắn với nhiệm vụ nào của đồng chí? (ví dụ: công tác tuyên truyền ở tổ dân phố; "
    "chuyên môn giáo viên; khắc phục hạn chế hay đến họp muộn)"
)


def duty_required() -> str:
    """Refuse «không» for the duty a pledged action serves."""
    return (
        "mỗi việc đăng ký cần gắn với một nhiệm vụ của đồng chí: công tác được giao, chuyên môn, "
        "hoặc hạn chế cần khắc phục. Đề nghị đồng chí ghi nhiệm vụ đó."
    )


ASK_INDICATOR = (
    "Chỉ tiêu đo được: một con số, tỷ lệ hoặc số lần (ví dụ: 2 bài viết; 100% buổi sinh hoạt; "
    "mỗi tháng 1 lần; vận động 10 hộ)."
)
ASK_MILESTONES = "Lộ trình, các mốc thực hiện (ví dụ: tháng 9 viết bài 1; tháng 11 viết bài 2)."
ASK_EVIDENCE = (
    "Sản phẩm, minh chứng sẽ cho thấy đã làm được (ví dụ: bản in bài viết; biên bản; ảnh chụp; "
    "xác nhận của tổ dân phố)."
)
ASK_STATUS = "Tình trạng hiện nay của mục này?"
ASK_NOTE = "Ghi chú kết quả (ví dụ: đã viết xong bài 1, đăng trên bản tin tháng 9)."
ASK_REVIEW_KIND = "Đánh giá kỳ nào?"
ASK_ASSESSMENT = "Nhận xét, đánh giá của chi bộ đối với đồng chí (ưu điểm, hạn chế, việc cần khắc phục)."

HINTS = {
    Problem.VAGUE_ACTION: (
        "ghi việc làm cụ thể thay cho lời chung («{phrases}»): làm việc gì, ở đâu, cho ai — "
        "ví dụ «viết 2 bài tuyên truyền về phân loại rác cho loa tổ dân phố 5»"
    ),
    Problem.NO_INDICATOR: (
        "thêm chỉ tiêu đo được: một con số, tỷ lệ hoặc số lần — "
        "ví dụ «2 bài», «100% buổi sinh hoạt», «mỗi tháng 1 lần»"
    ),
    Problem.UNMEASURABLE_INDICATOR: (
        "chỉ tiêu chưa đo được; thêm một con số, tỷ lệ hoặc số lần — "
        "ví dụ «2 bài», «100% buổi sinh hoạt», «0 lần vắng không lý do»"
    ),
    Problem.NO_DEADLINE: "thêm thời hạn hoàn thành — ví dụ «31/12/2015»",
    Problem.NO_EVIDENCE: (
        "ghi sản phẩm, minh chứng để chứng minh đã làm — "
        "ví dụ «bản in bài viết», «biên bản», «ảnh chụp», «giấy xác nhận»"
    ),
}


def hint(problem: Problem, phrases: Sequence[str]) -> str:
    """Say concretely what to add for one problem."""
    quoted = "», «".join(phrases) if phrases else "phấn đấu, nâng cao"
    return HINTS[problem].format(phrases=quoted)


def year_out_of_range(low: int, high: int) -> str:
    """Refuse a pledge year."""
    return f"năm đăng ký cần từ {low} đến {high}, ví dụ {high - 1}."


def deadline_out_of_year(year: int) -> str:
    """Refuse a deadline outside the pledge year (or the next)."""
    return f"thời hạn cần nằm trong năm {year} (hoặc năm {year + 1}), ví dụ 31/12/{year}."


def ask_deadline(year: int) -> str:
    """Ask the item's deadline, the end of the pledge year as the example."""
    return f"Thời hạn hoàn thành (ngày/tháng/năm, ví dụ 31/12/{year})."


def deadline_passed(day: str, today: str) -> str:
    """Refuse a deadline that has already passed."""
    return f"thời hạn {day} đã qua (hôm nay là {today}). Đề nghị đồng chí gõ một ngày từ hôm nay trở đi."


def action_prompt(
    name: str, year: int, wording: str | None, theme: str | None, directive: str | None, count: int
) -> str:
    """Open one item: whose pledge, the year's theme, and what to write."""
    # The wording is a title in its own right ("Học tập và làm theo …"); here it continues a sentence.
    title = wording[0].lower() + wording[1:] if wording else "học tập và làm theo"
    lines = [f"Bản đăng ký {title} năm {year} — đồng chí {name}."]
    if theme:
        lines.append(f"Chủ đề năm {year}" + (f" ({directive})" if directive else "") + f": «{theme}».")
    lines.append(f"Đã đăng ký {count} mục." if count else "Chưa có mục nào.")
    lines.append(
        f"Mục {count + 1} — việc làm cụ thể: làm việc gì, ở đâu, cho ai (ví dụ: viết 2 bài tuyên truyền "
        "về phân loại rác cho loa tổ dân phố 5). Có thể ghi cả hạn chế của bản thân và cách khắc phục."
    )
    return "\n".join(lines)


def verdict_specific() -> str:
    """Say the item is specific."""
    return "Mục này đã cụ thể: có việc làm, chỉ tiêu đo được, thời hạn và minh chứng."


def verdict_vague(hints: Sequence[str]) -> str:
    """Say the item is vague and what to add."""
    listed = "\n".join(f"- {h}" for h in hints)
    return (
        f"Mục này còn chung chung. Đề nghị đồng chí:\n{listed}\n\n"
        "Đồng chí có thể sửa lại, hoặc vẫn lưu — khi đó mục được ghi là «chung chung» trong mọi báo cáo."
    )


def action_vague_now(phrases: Sequence[str]) -> str:
    """Warn right after the action is typed that it says nothing one could check."""
    return (
        f"Lưu ý: việc làm này còn chung chung. Đề nghị {hint(Problem.VAGUE_ACTION, phrases)}. "
        "Gõ «quay lại» để sửa ngay, hoặc trả lời tiếp."
    )


def taken(indicator: str, deadline: str) -> str:
    """Say which answers were read from the action, so they are not asked."""
    return f"Đã lấy từ nội dung việc làm: chỉ tiêu «{indicator}», thời hạn {deadline}."


FIX_TAKEN = "đề nghị gõ lại chỉ tiêu (sau đó là thời hạn)."


def fix_reason(hints: Sequence[str]) -> str:
    """Send the user back to the first field to fix."""
    return hints[0] + "."


def item_saved(number: int, name: str, vague: bool) -> str:
    """Confirm an item was saved."""
    flag = " (ghi là chung chung)" if vague else ""
    return f"Đã lưu mục {number} trong bản đăng ký của đồng chí {name}{flag}."


def pledge_done(name: str, year: int, count: int, vague: int) -> str:
    """Close the registration with the pledge's totals."""
    vague_part = f", trong đó {vague} mục chung chung" if vague else ", tất cả đều cụ thể"
    return (
        f"Bản đăng ký năm {year} của đồng chí {name} có {count} mục{vague_part}. "
        "Gõ /capnhat để cập nhật tiến độ, /dangvien để xem kết quả từng đồng chí."
    )


def no_pledge(name: str, year: int) -> str:
    """Refuse progress for a member without a pledge."""
    return f"đồng chí {name} chưa đăng ký cam kết năm {year}. Đề nghị đăng ký bằng lệnh /dangky trước."


def no_pledge_message(name: str, year: int) -> str:
    """Say, outside a form, that a member has no pledge."""
    return f"Đồng chí {name} chưa đăng ký cam kết năm {year}. Gõ /dangky để đăng ký."


def item_line(
    number: int,
    action: str,
    indicator: str | None,
    deadline: str | None,
    status: str,
    updated_on: str | None,
    vague: bool,
    overdue: bool,
) -> str:
    """Describe one item with its latest progress."""
    parts = [f"{number}. {action}"]
    if indicator:
        parts.append(f"chỉ tiêu: {indicator}")
    if deadline:
        parts.append(f"hạn {deadline}")
    text = "; ".join(parts)
    state = STATUS_NAMES[status] + (f" (cập nhật {updated_on})" if updated_on else "")
    flags = (" [chung chung]" if vague else "") + (" [QUÁ HẠN]" if overdue else "")
    return f"{text}{flags}\n   Tình trạng: {state}"


def item_option(action: str) -> str:
    """Label an item as a short button; lists number their options themselves."""
    return shorten(action, 40)


def item_shown(number: int, action: str) -> str:
    """Name a chosen item by its number and action."""
    return f"{number}. {action}"


def pick_item(name: str, year: int, lines: Sequence[str]) -> str:
    """List a member's items and ask which to update."""
    return f"Cam kết năm {year} của đồng chí {name}:\n" + "\n".join(lines) + "\n\nCập nhật mục nào?"


def evidence_photo() -> str:
    """Show photo evidence."""
    return "ảnh đính kèm"


def evidence_file(name: str | None) -> str:
    """Show document evidence."""
    return f"tệp «{name}»" if name else "tệp đính kèm"


def progress_saved(name: str, number: int, status: str) -> str:
    """Confirm a progress update."""
    return (
        f"Đã ghi: mục {number} của đồng chí {name} — {STATUS_NAMES[status]}. "
        "Gõ /capnhat để cập nhật mục khác."
    )


def member_list_line(number: int, name: str, count: int, vague: int) -> str:
    """Describe one member with their pledge state in a pick list."""
    if count == 0:
        return f"{number}. {name} — chưa đăng ký"
    vague_part = f", {vague} chung chung" if vague else ""
    return f"{number}. {name} — {count} mục{vague_part}"


def pick_member(cell_name: str, year: int, lines: Sequence[str]) -> str:
    """List a cell's members and ask whom the entry is for."""
    return f"{cell_name} — cam kết năm {year}:\n" + "\n".join(lines) + "\n\n" + ASK_MEMBER


def review_pick_member(
    kind: str, year: int, cell_name: str, lines: Sequence[str], done: int, total: int
) -> str:
    """List members to review, the ones without a review first."""
    return (
        f"{review_of_year(kind, year)} — {cell_name}: đã đánh giá {done}/{total} đồng chí.\n"
        + "\n".join(lines)
        + "\n\n"
        + ASK_MEMBER
    )


def review_member_line(number: int, name: str, reviewed: bool) -> str:
    """Describe one member in the review list."""
    return f"{number}. {name}" + (" — đã đánh giá" if reviewed else "")


def assessment_prompt(
    name: str, kind: str, year: int, lines: Sequence[str], done: int, count: int, overdue: int
) -> str:
    """Show a member's results before asking for the assessment."""
    if count == 0:
        results = "Đồng chí chưa đăng ký cam kết năm nay."
    else:
        results = "\n".join(lines) + f"\nHoàn thành {done}/{count} mục; quá hạn {overdue}."
    return f"{review_of_year(kind, year)} — đồng chí {name}:\n{results}\n\n{ASK_ASSESSMENT}"


def ranking_prompt(proposed: str | None, done: int, count: int, vague: int) -> str:
    """Propose a ranking from the member's results and ask for the cell's."""
    if proposed is None:
        return "Xếp loại của đồng chí (chưa có mục cam kết nào để đề xuất):"
    vague_part = f", {vague} mục chung chung" if vague else ""
    results = f"{done}/{count} mục hoàn thành{vague_part}"
    return f"Đề xuất theo kết quả cam kết ({results}): «{proposed}». Chi bộ xếp loại đồng chí:"


def review_saved(kind: str, name: str, remaining: int) -> str:
    """Confirm a review and say how many remain."""
    tail = (
        f" Còn {remaining} đồng chí chưa đánh giá."
        if remaining
        else " Đã đánh giá đủ các đồng chí trong chi bộ."
    )
    return f"Đã ghi {REVIEW_NAMES[kind].lower()} của đồng chí {name}.{tail}"


def not_in_cell() -> str:
    """Refuse someone who is neither a cell leader nor on a roster."""
    return (
        "Chức năng này dành cho bí thư, phó bí thư chi bộ và đảng viên có tài khoản gắn với danh sách "
        "chi bộ. Đề nghị đồng chí liên hệ bí thư chi bộ."
    )


def leaders_only() -> str:
    """Refuse reviews to anyone but a cell's leaders."""
    return "Việc đánh giá, xếp loại đảng viên do bí thư hoặc phó bí thư chi bộ ghi."


def ask_progress_evidence(example: str) -> str:
    """Ask the evidence of progress, a recent day in the example."""
    return (
        "Minh chứng: đồng chí gửi ảnh hoặc tệp ngay trong cuộc trò chuyện (trên Telegram), "
        f"hoặc ghi bằng chữ minh chứng để ở đâu (ví dụ: biên bản họp tổ ngày {example})."
    )
