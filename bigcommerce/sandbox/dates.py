"""Dates as BigCommerce v2 speaks them: RFC 2822 or ISO 8601 in, RFC 2822 GMT out.

``parse_date`` accepts ``"Thu, 20 Apr 2017 11:32:00 -0400"``, ``"2017-04-20T11:32:00-04:00"``,
``"2017-04-20"`` (midnight UTC), ``"2017-04-20T11:32:00Z"`` and a bare unix timestamp; it returns an
aware UTC ``datetime`` or raises ``ValueError``. ``format_date`` returns the output form,
``"Fri, 21 Sep 2012 02:31:01 +0000"``, independent of the locale.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_tz

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?"
    r"\s*(Z|z|[+-]\d{2}:?\d{2})?$"
)
_RFC_SHAPE = re.compile(
    r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s+"
    r"(?:[+-]\d{4}|GMT|UT|UTC|Z)$"
)


def _offset(text: str) -> timezone:
    if text in ("Z", "z"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(f"bad UTC offset {text!r}")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_date(text: str) -> datetime:
    """Parse an RFC 2822 / ISO 8601 date (or unix seconds) into an aware UTC datetime.

    >>> format_date(parse_date("Thu, 20 Apr 2017 11:32:00 -0400"))
    'Thu, 20 Apr 2017 15:32:00 +0000'
    """
    if not isinstance(text, str):
        raise ValueError("a date must be a string")
    try:
        return _parse(text.strip())
    except (OverflowError, OSError):  # a timestamp or an offset past what datetime can hold
        raise ValueError(f"date out of range: {text!r}") from None


def _parse(text: str) -> datetime:
    if text.isdigit() and text.isascii():
        return datetime.fromtimestamp(int(text), timezone.utc)
    match = _ISO.match(text)
    if match:
        year, month, day, hour, minute, second, frac, tz = match.groups()
        value = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((frac or "0").ljust(6, "0")),
            tzinfo=_offset(tz) if tz else timezone.utc,
        )
        return value.astimezone(timezone.utc)
    if _RFC_SHAPE.match(text):
        parts = parsedate_tz(text)
        if parts is not None:
            year, month, day, hour, minute, second = parts[:6]
            offset = parts[9] or 0
            value = datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)
            return value - timedelta(seconds=offset)
    raise ValueError(f"not an RFC 2822 or ISO 8601 date: {text!r}")


def format_date(value: datetime) -> str:
    """RFC 2822 in GMT, e.g. ``"Fri, 21 Sep 2012 02:31:01 +0000"``."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
    return (
        f"{_DAYS[value.weekday()]}, {value.day:02d} {_MONTHS[value.month - 1]} {value.year:04d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d} +0000"
    )


def format_timestamp(seconds: float) -> str:
    """RFC 2822 GMT for unix seconds (ValueError when out of range)."""
    try:
        return format_date(datetime.fromtimestamp(int(seconds), timezone.utc))
    except (OverflowError, OSError):
        raise ValueError(f"timestamp out of range: {seconds!r}") from None
