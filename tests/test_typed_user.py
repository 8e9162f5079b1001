"""A user's script under ``mypy --strict``: the main calls have precise types, and typos are errors.

``tests/typed_user_script.py`` must pass ``mypy --strict`` with every ``reveal_type`` revealing the
type its ``# expect:`` comment names; the small programs in ``MISTAKES`` must each be refused with
the error given. Errors inside the package itself are not this test's business
(``--follow-imports=silent``): those are checked by running mypy on the package.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

mypy_api = pytest.importorskip("mypy.api", reason="mypy is not installed (pip install -e '.[test]')")

TESTS = Path(__file__).resolve().parent
SCRIPT = TESTS / "typed_user_script.py"
REPO = TESTS.parent


_CACHE: List[str] = []  # one mypy cache for the module's runs, outside the repository


@pytest.fixture(scope="module", autouse=True)
def _mypy_cache(tmp_path_factory):
    _CACHE[:] = [str(tmp_path_factory.mktemp("mypy-cache"))]


def _mypy(*args: str) -> Tuple[str, int]:
    out, err, status = mypy_api.run(
        [
            "--strict",
            "--follow-imports=silent",
            "--no-error-summary",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            _CACHE[0],
            *args,
        ]
    )
    return out + err, status


def _normal(revealed: str) -> str:
    """One spelling across mypy versions: ``builtins.list`` -> ``list``, ``Union[X, None]`` -> ``X | None``."""
    text = revealed.replace("builtins.", "")
    text = re.sub(r"^Union\[(.*), None\]$", r"\1 | None", text)
    text = re.sub(r"^Optional\[(.*)\]$", r"\1 | None", text)
    return text


@pytest.fixture(scope="module")
def script_run() -> Tuple[str, int]:
    return _mypy(str(SCRIPT))


def _expectations() -> Dict[int, str]:
    lines = SCRIPT.read_text(encoding="utf-8").splitlines()
    return {
        number: line.split("# expect: ", 1)[1].strip()
        for number, line in enumerate(lines, 1)
        if "reveal_type(" in line and "# expect: " in line
    }


def test_the_script_passes_mypy_strict(script_run):
    output, status = script_run
    errors = [line for line in output.splitlines() if ": error:" in line]
    assert errors == [] and status == 0, output


def test_the_main_calls_reveal_precise_types(script_run):
    output, _ = script_run
    revealed = {
        int(m.group(1)): _normal(m.group(2))
        for m in re.finditer(r"typed_user_script\.py:(\d+): note: Revealed type is \"(.*)\"", output)
    }
    expected = _expectations()
    assert len(expected) >= 15
    assert revealed == expected


PRELUDE = [
    "from bigcommerce.api import BigcommerceApi",
    "api = BigcommerceApi(client_id='c', store_hash='h', access_token='t')",
    "p = api.Products.get(1)",
]

#: (a line of a user's program, a piece of the error mypy must report on that line)
MISTAKES: List[Tuple[str, str]] = [
    ("api.Prodcts.all()", '"BigcommerceApi" has no attribute "Prodcts"'),
    ("api.Currencies.count()", "count"),  # currencies have no /count
    ("api.Store.create(name='x')", "create"),  # a single object cannot be created
    ("api.Products.get()", "get"),  # an id is needed
    ("api.ProductImages.create(name='x')", "create"),  # so is the parent's
    ("n: str = api.Products.count()", "incompatible types in assignment"),
    ("p.update(1)", "update"),  # fields are keyword arguments
    ("api.Customers.validate_password(1)", "validate_password"),
    ("api.Products.validate_password(1, 'x')", "validate_password"),
]


@pytest.fixture(scope="module")
def mistakes_run(tmp_path_factory) -> str:
    program = tmp_path_factory.mktemp("typed") / "mistakes.py"
    program.write_text("\n".join(PRELUDE + [line for line, _ in MISTAKES]) + "\n", encoding="utf-8")
    output, status = _mypy(str(program))
    assert status == 1, output
    return output


@pytest.mark.parametrize("number", range(len(MISTAKES)), ids=[m[0] for m in MISTAKES])
def test_mistakes_are_type_errors(mistakes_run, number):
    line, error = MISTAKES[number]
    at = len(PRELUDE) + number + 1
    reported = [text for text in mistakes_run.splitlines() if re.search(rf"mistakes\.py:{at}: error:", text)]
    assert reported, f"mypy accepted {line!r}:\n{mistakes_run}"
    assert any(error.lower() in text.lower() for text in reported), reported


def test_the_prelude_alone_is_fine(tmp_path):
    program = tmp_path / "fine.py"
    program.write_text("\n".join(PRELUDE) + "\n", encoding="utf-8")
    output, status = _mypy(str(program))
    assert status == 0, output
