"""bigcommerce.jsonlib: orjson when installed, with exactly the results of the standard json module."""

import json
import subprocess
import sys
from enum import Enum

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_classic_helpers import subprocess_env

from bigcommerce import jsonlib

try:
    import orjson  # noqa: F401

    HAVE_ORJSON = True
except ImportError:
    HAVE_ORJSON = False

BACKENDS = [
    pytest.param(True, id="orjson", marks=pytest.mark.skipif(not HAVE_ORJSON, reason="orjson is not installed")),
    pytest.param(False, id="stdlib"),
]


@pytest.fixture(params=BACKENDS)
def backend(request):
    before = jsonlib.backend() == "orjson"
    jsonlib.use_orjson(request.param)
    yield request.param
    jsonlib.use_orjson(before)


def outcome(function, *args, **kwargs):
    """repr of the result (NaN, -0.0 and key order included), or the exception's family."""
    try:
        return "ok", repr(function(*args, **kwargs))
    except (ValueError, TypeError) as error:
        return "error", ValueError if isinstance(error, ValueError) else TypeError


# JSON values as a store might send them, including what orjson treats differently: integers
# beyond 64 bits, NaN and infinities, lone surrogates, tiny and huge floats, repeated keys.
scalars = (
    st.none()
    | st.booleans()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=values,
    indent=st.sampled_from([None, 2]),
    ascii_only=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-32-be", "text"]),
)
def test_loads_equals_json_loads_for_any_document(backend, value, indent, ascii_only, encoding):
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    try:
        document = text if encoding == "text" else text.encode(encoding, "surrogatepass")
    except UnicodeEncodeError:
        document = text
    assert outcome(jsonlib.loads, document) == outcome(json.loads, document)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=st.binary(max_size=40) | st.text(alphabet='{}[]",:0123456789.eE+-tfnrulasNIiy \\\ud800', max_size=40))
def test_loads_equals_json_loads_for_any_bytes(backend, document):
    assert outcome(jsonlib.loads, document) == outcome(json.loads, document)


@pytest.mark.parametrize(
    "document, expected",
    [
        (b"18446744073709551616", "18446744073709551616"),  # orjson would give a float
        (b"[-9223372036854775809]", "[-9223372036854775809]"),
        (b"18446744073709551615", "18446744073709551615"),  # still 64 bits
        (b'{"n": NaN, "i": -Infinity}', "{'n': nan, 'i': -inf}"),
        (b"1e400", "inf"),
        (b'{"a": 1, "b": 2, "a": 3}', "{'a': 3, 'b': 2}"),  # the last repeated key wins, first place
        (b'"\\ud800"', "'\\ud800'"),  # lone surrogate
        (b"\xef\xbb\xbf[1]", "[1]"),  # UTF-8 byte-order mark
        ("[1]".encode("utf-16"), "[1]"),
        (b'"1234567890123456789012"', "'1234567890123456789012'"),  # long digits in a string
        (b"-0", "0"),
    ],
)
def test_corner_cases_as_json_gives_them(backend, document, expected):
    assert repr(jsonlib.loads(document)) == expected == repr(json.loads(document))


@pytest.mark.parametrize("document", [b"\xff[1]", b'"\xc3"', b"", b"[1,]", b"{'a': 1}", "\ufeff[1]", b"NaNa"])
def test_what_json_refuses_is_a_value_error(backend, document):
    with pytest.raises(ValueError) as caught:
        jsonlib.loads(document)
    with pytest.raises(type(caught.value)):
        json.loads(document)


@pytest.mark.parametrize("depth", [1025, 5000, 200000])
def test_deep_nesting_is_a_value_error_not_a_recursion_error(backend, depth):
    with pytest.raises(ValueError, match="nested too deeply|depth"):
        jsonlib.loads(b"[" * depth + b"]" * depth)


dump_values = st.recursive(
    scalars | st.floats(min_value=-1e-3, max_value=1e-3) | st.sampled_from([1e16, 1e-5, 5e-324, 1e300]),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.tuples(inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=5)
        | st.dictionaries(st.integers(), inner, max_size=2)
    ),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=dump_values)
def test_dumps_equals_json_dumps(backend, value):
    expected = outcome(json.dumps, value, ensure_ascii=False, separators=(",", ":"), default=str)
    assert outcome(jsonlib.dumps, value, default=str) == expected


class Colour(Enum):
    RED = 1


@pytest.mark.parametrize(
    "value",
    [
        {"when": __import__("datetime").date(2020, 1, 2)},
        [Colour.RED],
        {"id": __import__("uuid").UUID(int=5)},
        [float("nan")],
        {"x": 1e-7},
        [2**64],
        {1: "a"},
        ["\ud800"],
        {"price": 12.5, "name": "é/\u2028\x1f"},
    ],
)
def test_dumps_corner_cases(backend, value):
    assert jsonlib.dumps(value, default=str) == json.dumps(
        value, ensure_ascii=False, separators=(",", ":"), default=str
    )


def test_dumps_of_a_cycle_raises_as_json_does(backend):
    cycle: list = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="Circular"):
        jsonlib.dumps(cycle)


def test_use_orjson_switches_and_reports():
    before = jsonlib.backend()
    try:
        assert jsonlib.use_orjson(False) is False
        assert jsonlib.backend() == "json"
        if HAVE_ORJSON:
            assert jsonlib.use_orjson(True) is True
            assert jsonlib.backend() == "orjson"
    finally:
        jsonlib.use_orjson(before == "orjson")


@pytest.mark.skipif(not HAVE_ORJSON, reason="orjson is not installed")
@pytest.mark.parametrize("setting, expected", [("stdlib", "json"), ("json", "json"), ("", "orjson")])
def test_environment_variable_chooses_at_import(setting, expected):
    out = subprocess.run(
        [sys.executable, "-c", "from bigcommerce import jsonlib; print(jsonlib.backend())"],
        env=subprocess_env(BIGCOMMERCE_JSON=setting),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == expected
