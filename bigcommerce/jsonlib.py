"""JSON for the client: ``orjson`` when it is installed (``pip install "bigcommerce-api[fast]"``), else ``json``.

Both give the same results. :func:`loads` returns exactly what ``json.loads`` returns for every input:
where ``orjson`` would answer differently (integers beyond 64 bits, which it turns into floats; a
19-digit run anywhere sends the document to ``json``) or refuses what ``json`` accepts (``NaN``,
``Infinity``, ``1e400``, lone surrogates, a UTF-8 byte-order mark, UTF-16 and UTF-32 bodies), the
document is parsed by ``json``. :func:`dumps` writes the bytes of
``json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=default)``.

The choice is made at import: ``BIGCOMMERCE_JSON=stdlib`` in the environment keeps ``json``;
:func:`use_orjson` switches at run time and :func:`backend` says which one is in use.
"""

from __future__ import annotations

import json
import math
import os
import re
from enum import Enum
from typing import Any, Callable, Optional, Union

_orjson: Any
try:  # the optional [fast] extra
    import orjson as _orjson
except ImportError:  # pragma: no cover - depends on the installation
    _orjson = None

__all__ = ["loads", "dumps", "backend", "use_orjson", "ENV_VARIABLE"]

#: Environment variable read at import: ``stdlib`` (or ``json``) keeps the standard library's parser.
ENV_VARIABLE = "BIGCOMMERCE_JSON"

#: Bytes mapped so that every decimal digit becomes ``0`` and nothing else does: a run of 19 zeros in
#: the translated body is a run of 19 digits, the shortest integer orjson may turn into a float.
_DIGITS_TO_ZERO = bytes(0x30 if 0x30 <= i <= 0x39 else 0x2E for i in range(256))
_NINETEEN_DIGITS = b"0" * 19
_LONG_DIGITS_STR = re.compile(r"[0-9]{19}")
#: Where orjson writes a float differently from ``repr`` (``0.00001`` for ``1e-05``, exponents).
_FLOAT_SPELLING = re.compile(rb"[0-9][eE]|0\.0000")

_use_orjson = _orjson is not None and os.environ.get(ENV_VARIABLE, "").strip().lower() not in ("stdlib", "json")

Text = Union[str, bytes, bytearray]


def backend() -> str:
    """``"orjson"`` or ``"json"``: the parser :func:`loads` tries first."""
    return "orjson" if _use_orjson else "json"


def use_orjson(enabled: bool) -> bool:
    """Use orjson (``True``, when installed) or only ``json`` (``False``); returns whether orjson is on.

    Raises ``RuntimeError`` when asked for orjson and it is not installed.
    """
    global _use_orjson
    if enabled and _orjson is None:
        raise RuntimeError('orjson is not installed: pip install "bigcommerce-api[fast]"')
    _use_orjson = bool(enabled)
    return _use_orjson


def _has_long_digit_run(data: Text) -> bool:
    if isinstance(data, str):
        return _LONG_DIGITS_STR.search(data) is not None
    return len(data) >= 19 and _NINETEEN_DIGITS in data.translate(_DIGITS_TO_ZERO)


def loads(data: Text) -> Any:
    """The JSON value of ``data`` (bytes in UTF-8, UTF-16 or UTF-32, or text), as ``json.loads`` gives it.

    Raises ``ValueError`` for anything that is not JSON: ``json.JSONDecodeError`` for bad syntax,
    ``UnicodeDecodeError`` for bytes that are not text, and a plain ``ValueError`` for a document
    nested too deeply to parse (``json`` itself would raise ``RecursionError``).
    """
    if _use_orjson and not _has_long_digit_run(data):
        try:
            return _orjson.loads(data)
        except ValueError:
            pass  # json either accepts it (NaN, 1e400, UTF-16...) or raises its own error below
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("JSON document nested too deeply to parse") from None


def _not_json(value: Any) -> Any:
    raise TypeError  # orjson then gives up and json (with the caller's default) writes the value


def _plain_json(value: Any) -> bool:
    """Whether ``value`` is JSON data orjson writes as json does: dicts with string keys, lists,
    tuples, strings, integers, finite floats, booleans and None (enums, UUIDs and NaN it writes
    otherwise)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key in item:
                if not isinstance(key, str):
                    return False
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, float):
            if not math.isfinite(item):
                return False
        elif not (item is None or isinstance(item, (str, int))) or isinstance(item, Enum):
            return False
    return True


def dumps(obj: Any, default: Optional[Callable[[Any], Any]] = None) -> str:
    """``json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=default)``, the same text.

    orjson writes it only where it gives exactly those bytes: JSON data (see :func:`_plain_json`)
    whose floats it spells as ``repr`` does and whose integers fit 64 bits. Everything else is
    written by ``json``. Raises what ``json.dumps`` raises.
    """
    if _use_orjson:
        try:  # first: orjson refuses cycles and deep nesting, so the walk below always ends
            out = _orjson.dumps(obj, default=_not_json)
        except TypeError:  # integers beyond 64 bits, lone surrogates, other objects, too deep
            out = None
        if out is not None and _FLOAT_SPELLING.search(out) is None and _plain_json(obj):
            text: str = out.decode("utf-8")
            return text
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=default)
