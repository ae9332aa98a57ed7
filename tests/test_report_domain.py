"""Meeting calendar rules: quarters, the month a report is probably about, months back."""

from __future__ import annotations

from datetime import date

from domain.meetings import default_report_month, month_days, months_ago, quarter_of


def test_quarter_of_month() -> None:
    """September is in the third quarter, October in the fourth."""
    assert (quarter_of(1), quarter_of(9), quarter_of(10)) == (1, 3, 4)


def test_default_month_is_the_month_just_past() -> None:
    """On 10/09/2015 with August not filed, the report is about August."""
    assert default_report_month(date(2015, 9, 10), previous_filed=False) == (2015, 8)


def test_default_month_is_this_month_once_last_is_filed() -> None:
    """With August filed, the next report is about September."""
    assert default_report_month(date(2015, 9, 10), previous_filed=True) == (2015, 9)


def test_default_month_crosses_the_year() -> None:
    """In January the month just past is last December."""
    assert default_report_month(date(2016, 1, 3), previous_filed=False) == (2015, 12)


def test_months_ago_counts_across_years() -> None:
    """December 2014 is nine months before September 2015; October is in the future."""
    assert months_ago(date(2015, 9, 10), 2014, 12) == 9
    assert months_ago(date(2015, 9, 10), 2015, 10) == -1


def test_month_days_knows_leap_years() -> None:
    """February 2016 has 29 days."""
    assert month_days(2016, 2) == (date(2016, 2, 1), date(2016, 2, 29))
