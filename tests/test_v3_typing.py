"""The v3 resources as a type checker sees them: a small typed user script under ``mypy --strict``,
with ``reveal_type`` on the main calls, and typos that must be errors."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent("""
    from typing import List

    from bigcommerce.connection import OAuthConnection
    from bigcommerce.v3 import V3Client
    from bigcommerce.v3.types import Product, Variant

    v3 = V3Client(OAuthConnection(client_id="c", store_hash="s", access_token="t"))
    reveal_type(v3.Products.get(1))
    reveal_type(v3.Products.all())
    reveal_type(v3.Products.iterall(include="variants"))
    reveal_type(v3.ProductVariants.all(1)[0])
    reveal_type(v3.Variants.batch_update([{"id": 1, "price": 2.5}]))
    reveal_type(v3.PriceListRecords.get(1, 2, "USD"))
    reveal_type(v3.Products.get(1).meta)
    reveal_type(v3.Products.all().meta)
    change: Variant = {"id": 7, "price": 9.5}
    payload: Product = {"name": "Mug", "type": "physical", "weight": 1, "price": 10, "variants": [change]}
    created = v3.Products.create(**payload)
    names: List[str] = [p["name"] for p in v3.Products.all()]
""")

EXPECTED = [
    "bigcommerce.v3.catalog.Products",
    "bigcommerce.v3.resource.V3List[bigcommerce.v3.catalog.Products]",
    "typing.Iterator[bigcommerce.v3.catalog.Products]",
    "bigcommerce.v3.catalog.ProductVariants",
    "bigcommerce.v3.resource.V3List[bigcommerce.v3.catalog.Variants]",
    "bigcommerce.v3.pricelists.PriceListRecords",
    "dict[str, Any]",
    "dict[str, Any]",
]

TYPOS = textwrap.dedent("""
    from bigcommerce.connection import OAuthConnection
    from bigcommerce.v3 import V3Client
    from bigcommerce.v3.types import Variant

    v3 = V3Client(OAuthConnection(client_id="c", store_hash="s", access_token="t"))
    v3.Prodcts.get(1)
    v3.Products.gte(1)
    bad: Variant = {"id": "seven"}
""")


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """mypy's output on both scripts, from one run (each run costs seconds)."""
    api = pytest.importorskip("mypy.api", reason="mypy (pip install mypy) checks the typed script")
    folder = tmp_path_factory.mktemp("typed")
    (folder / "user_script.py").write_text(SCRIPT, encoding="utf-8")
    (folder / "typos.py").write_text(TYPOS, encoding="utf-8")
    here = Path.cwd()
    try:
        import os

        os.chdir(REPO)  # bigcommerce is found in the repository, as a user's checkout would
        out, err, _ = api.run(
            [
                "--strict",
                "--follow-imports=silent",
                "--no-error-summary",
                "--cache-dir",
                str(folder / "cache"),
                "--python-version",
                "3.10",
                str(folder / "user_script.py"),
                str(folder / "typos.py"),
            ]
        )
    finally:
        os.chdir(here)
    return out + err


def lines_of(out, name):
    return "\n".join(line for line in out.splitlines() if line.split(":", 1)[0].endswith(name))


def test_the_typed_script_passes_with_the_types_revealed(checked):
    out = lines_of(checked, "user_script.py")
    revealed = re.findall(r'Revealed type is "([^"]+)"', out)
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert not errors, out
    assert [r.replace("builtins.", "").replace("?", "") for r in revealed] == EXPECTED, out


def test_typos_are_type_errors(checked):
    out = lines_of(checked, "typos.py")
    assert '"V3Client" has no attribute "Prodcts"' in out
    assert 'has no attribute "gte"' in out
    assert 'TypedDict item "id" has type "int"' in out  # a Variant's id is an int
