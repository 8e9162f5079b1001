"""Property-based tests of the date and filter parsers (hypothesis), in-process and over HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from email.utils import format_datetime, parsedate_to_datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bigcommerce.sandbox.dates import format_date, parse_date
from bigcommerce.sandbox.schema import BY_NAME
from bigcommerce.sandbox.store import ApiError, StoreState, decimal4, page_args, select

moments = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(timezone.utc)
).map(lambda d: d.replace(microsecond=0))
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@given(moments)
def test_output_form_round_trips(moment):
    text = format_date(moment)
    assert text.endswith(" +0000") and len(text) == 31
    assert parse_date(text) == moment
    assert parsedate_to_datetime(text) == moment  # what any RFC 2822 reader sees


@given(moments, offsets)
def test_rfc2822_with_any_offset(moment, tz):
    assert parse_date(format_datetime(moment.astimezone(tz))) == moment


@given(moments, offsets, st.sampled_from(["T", " "]), st.booleans())
def test_iso8601_forms(moment, tz, sep, colon):
    local = moment.astimezone(tz)
    text = local.isoformat(sep=sep)
    if not colon:
        text = text[:-3] + text[-2:]
    assert parse_date(text) == moment
    assert parse_date(moment.strftime("%Y-%m-%dT%H:%M:%SZ")) == moment
    assert parse_date(moment.strftime("%Y-%m-%d")) == moment.replace(hour=0, minute=0, second=0)


@given(st.text(max_size=40))
def test_garbage_is_value_error(text):
    try:
        value = parse_date(text)
    except ValueError:
        return
    assert value.tzinfo is not None


@given(st.one_of(st.text(max_size=6), st.integers(-5, 400).map(str)))
def test_page_args(text):
    for name in ("page", "limit"):
        try:
            page, limit = page_args({name: text})
        except ApiError as exc:
            stripped = text.strip()
            if stripped.isdigit() and stripped.isascii() and int(stripped) > 250 and name == "limit":
                assert exc.status == 413 and exc.body[0]["details"] == {"max_limit": 250}
            else:
                assert exc.status == 400 and name in exc.message
            continue
        value = page if name == "page" else limit
        assert value == int(text) >= 1


@given(
    st.one_of(
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9),
        st.integers(-(10**9), 10**9),
        st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**6), max_value=10**6).map(str),
    )
)
def test_decimal4(value):
    text = decimal4(value, "price")
    whole, _, frac = text.lstrip("-").partition(".")
    assert len(frac) == 4 and whole.isdigit()
    assert abs(Decimal(text) - Decimal(str(value))) <= Decimal("0.00005")


def _state(prices, days):
    state = StoreState()
    base = datetime(2015, 1, 1, tzinfo=timezone.utc)
    for index, (price, day) in enumerate(zip(prices, days)):
        state.insert(
            BY_NAME["products"],
            {
                "name": f"P{index}",
                "price": decimal4(price, "price"),
                "date_created": format_date(base + timedelta(days=day)),
                "categories": [1 + index % 3],
                "is_visible": index % 2 == 0,
            },
        )
    return state


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=30), st.data())
def test_filters_agree_with_brute_force(prices, data):
    days = data.draw(st.lists(st.integers(0, 3000), min_size=len(prices), max_size=len(prices)))
    state = _state(prices, days)
    rows = list(state.tables["products"].values())
    low = data.draw(st.integers(0, 1000))
    cut = datetime(2015, 1, 1, tzinfo=timezone.utc) + timedelta(days=data.draw(st.integers(0, 3000)))
    cut_text = data.draw(
        st.sampled_from(
            [format_date(cut), cut.isoformat(), format_datetime(cut.astimezone(timezone(timedelta(hours=-4))))]
        )
    )
    query = {"min_price": str(low), "max_date_created": cut_text, "is_visible": "true", "category": "2"}
    got = [r["id"] for r in select(state, BY_NAME["products"], None, query)]
    expected = [
        r["id"]
        for r in rows
        if Decimal(r["price"]) >= low
        and r["is_visible"]
        and 2 in r["categories"]
        and parse_date(r["date_created"]) <= cut
    ]
    assert got == expected
    desc = [r["id"] for r in select(state, BY_NAME["products"], None, {"sort": "price:desc"})]
    assert [Decimal(state.tables["products"][i]["price"]) for i in desc] == sorted(
        (Decimal(r["price"]) for r in rows), reverse=True
    )


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(low=st.integers(0, 300), high=st.integers(0, 300), max_id=st.integers(0, 60))
def test_filters_over_http(shop, low, high, max_id):
    import requests

    everything = [p for p in shop.state()["products"].values()]
    r = requests.get(
        shop.v2_url + "/products",
        headers={"X-Auth-Token": shop.access_token},
        params={"min_price": low, "max_price": high, "max_id": max_id, "limit": 250},
    )
    expected = [p["id"] for p in everything if low <= Decimal(p["price"]) <= high and p["id"] <= max_id]
    if not expected:
        assert r.status_code == 204 and r.content == b""
    else:
        assert [p["id"] for p in r.json()] == expected


@pytest.mark.parametrize(
    "bad",
    [
        "Thu, 32 Apr 2017 11:32:00 -0400",
        "2017-13-01",
        "2017-02-30T00:00:00Z",
        "2017-01-01T25:00:00Z",
        "2017-01-01T00:00:00+25:00",
        "Apr 2017",
        "",
    ],
)
def test_invalid_dates(bad):
    with pytest.raises(ValueError):
        parse_date(bad)
