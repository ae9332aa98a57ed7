"""The minutes of a meeting (biên bản sinh hoạt chi bộ), written from the latest version of a filed report."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncConnection

from domain.attendance import ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON
from domain.words import normalize
from reports.export_data import place_of
from storage import org, reports
from storage.reports import Report
from texts import documents as t
from texts import report as tr

if TYPE_CHECKING:
    from docx.document import Document as DocumentType

MINUTES = "minutes"


@dataclass(frozen=True)
class MinutesData:
    """A filed report with the names of its cell, its committee and the place it writes from."""

    report: Report
    cell: str
    committee: str
    place: str
    study_label: str


async def gather_minutes(conn: AsyncConnection, report: Report) -> MinutesData:
    """Gather what the minutes of a filed report need besides the report itself."""
    cell = await org.get_cell(conn, report.cell_id)
    committee = await org.get_committee(conn, cell.committee_id)
    theme = await org.get_year_theme(conn, committee.id, report.content.year)
    return MinutesData(
        report=report,
        cell=cell.name,
        committee=committee.name,
        place=committee.settings.get("place") or place_of(committee.name),
        study_label=theme.wording if theme else tr.LABEL_STUDY,
    )


def file_name(data: MinutesData) -> str:
    """Name the minutes file in plain ASCII: «bien-ban-chi-bo-12-2015-08-thuong-ky.docx»."""
    content = data.report.content
    who = normalize(
        f"bien ban {data.cell} {content.year} {content.month:02d} {t.MINUTES_KINDS[content.kind]}"
    )
    return re.sub(r"[^a-z0-9]+", "-", who).strip("-") + ".docx"


def _text_block(document: DocumentType, text: str | None) -> None:
    """Write a secretary's text, one paragraph per line, or say there was nothing."""
    from reports import party_document as layout

    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines or [t.NOTHING]:
        layout.body(document, line)


def write_minutes(data: MinutesData) -> bytes:
    """Write the minutes as a DOCX in the cell's party-document layout."""
    # python-docx is loaded with the first document written: the bot starts faster without it.
    from reports import party_document as layout

    report, content = data.report, data.report.content
    names, counts = report.names, content.counts
    document = layout.new_document()
    day = content.meeting_date
    layout.heading(document, layout.Heading(data.committee, data.cell, None, data.place, day))
    layout.title(document, t.MINUTES, t.minutes_subject(content.kind, content.month, content.year))
    layout.body(
        document,
        t.opening(content.start_time, day.day, day.month, day.year, content.place, data.cell, content.kind),
    )
    layout.section_title(document, t.SECTION_PEOPLE)
    with_reason = [f"{names[e.member_id]} ({e.reason})" for e in report.absent(ABSENT_WITH_REASON)]
    without_reason = [names[e.member_id] for e in report.absent(ABSENT_WITHOUT_REASON)]
    for text in (
        t.chair(names[content.chair_member_id]),
        t.minutes_taker(names[content.minutes_member_id]),
        t.members(counts.total, counts.excused, counts.expected),
        t.present(counts.present, tr.rate(counts.rate)),
        t.absent_with_reason(with_reason),
        t.absent_without_reason(without_reason),
        t.guests(content.guests),
    ):
        layout.body(document, text)
    layout.section_title(document, t.SECTION_CONTENT)
    sections: list[tuple[str, str | None]] = [
        (t.LABEL_REVIEW, content.review),
        (data.study_label, content.study),
        (t.LABEL_DOCUMENTS, content.documents),
    ]
    if content.topic:
        sections.append((t.LABEL_TOPIC, content.topic))
    sections.append((t.LABEL_RESOLUTION, content.resolution))
    for number, (label, said) in enumerate(sections, start=1):
        layout.body(document, f"{number}. {label}", bold=True)
        _text_block(document, said)
    layout.body(document, t.OPINIONS, bold=True)
    for _ in range(3):
        layout.line(document, t.DOTS)
    layout.section_title(document, t.SECTION_VOTE)
    layout.body(document, t.vote(content.vote_for, content.vote_against, content.vote_total))
    layout.body(document, t.closing(content.end_time))
    layout.body(document, t.PASSED)
    layout.signatures(
        document,
        (t.MINUTES_TAKER, names[content.minutes_member_id]),
        (t.CHAIR, names[content.chair_member_id]),
        receivers=False,
    )
    return layout.to_bytes(document)


async def minutes_of(conn: AsyncConnection, report_id: int) -> tuple[str, bytes] | None:
    """Return the file name and bytes of a report's minutes, or None when there is no such report."""
    report = await reports.get_report(conn, report_id)
    if report is None:
        return None
    data = await gather_minutes(conn, report)
    # Laying out a document takes a moment; other chats are served meanwhile.
    return file_name(data), await asyncio.to_thread(write_minutes, data)
