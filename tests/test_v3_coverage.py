"""Every operation BigCommerce documents for the v3 families has a client method.

Reads the OpenAPI files in ``<repo>/../shared/specs`` at run time (they are not ours to ship) and
checks them against the client's own tables, both ways: nothing documented is missing, and no table
row sends to a path the reference does not have."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from bigcommerce.v3 import V3_REGISTRY, V3Client

REPO = Path(__file__).resolve().parent.parent
SPECS = REPO.parent / "shared" / "specs" / "bigcommerce-docs" / "reference"
FILES = [
    *(
        f"catalog/{name}"
        for name in (
            "brands_catalog.v3.yml",
            "categories_catalog.v3.yml",
            "category-trees_catalog.v3.yml",
            "product-modifiers_catalog.v3.yml",
            "product-variant-options_catalog.v3.yml",
            "product-variants_catalog.v3.yml",
            "products_catalog.v3.yml",
        )
    ),
    "customers.v3.yml",
    "orders.v3.yml",
    "price_lists.v3.yml",
    "inventory.v3.yml",
    "webhooks.v3.yml",
]

pytestmark = pytest.mark.skipif(not SPECS.is_dir(), reason=f"the shared specs are not here ({SPECS})")


def _shape(path: str) -> str:
    """``catalog/products/{}/variants``: placeholders' names do not matter, only where they are."""
    return re.sub(r"\{[^{}]+\}", "{}", path.strip("/"))


@functools.lru_cache(maxsize=None)  # the operations and the batch sizes read the same files: parse each once
def _spec(name):
    yaml = pytest.importorskip("yaml", reason="pyyaml reads the specs (pip install pyyaml)")
    return yaml.load((SPECS / name).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@functools.lru_cache(maxsize=None)
def documented():
    found = {}
    for name in FILES:
        for path, item in _spec(name)["paths"].items():
            for method in item:
                if method in ("get", "post", "put", "delete", "patch"):
                    found[(method.upper(), _shape(path))] = f"{name}: {item[method].get('operationId')}"
    return found


def client_methods():
    """(HTTP method, path shape) -> ["Products.get", ...] from the tables, each checked callable."""
    api = V3Client.__new__(V3Client)  # the tables are read; no request is sent
    methods = {}
    for cls_name, resource in V3_REGISTRY.items():
        bound = getattr(api, cls_name)
        for op, http, template in resource.v3.documented():
            assert callable(getattr(bound, op)), (cls_name, op)
            methods.setdefault((http, _shape(template)), []).append(f"{cls_name}.{op}")
    return methods


def test_every_documented_v3_operation_has_a_client_method():
    spec, ours = documented(), client_methods()
    missing = sorted(f"{m} /{p} ({spec[(m, p)]})" for m, p in set(spec) - set(ours))
    assert not missing, f"{len(missing)} documented operations have no method:\n" + "\n".join(missing)
    assert len(spec) == 222  # the count; a new spec file would change it
    print(f"\n{len(spec)} documented v3 operations, {len(set(spec) & set(ours))} with a client method")


def test_no_table_row_sends_where_nothing_is_documented():
    spec, ours = documented(), client_methods()
    extra = sorted(f"{m} /{p}: {', '.join(ours[(m, p)])}" for m, p in set(ours) - set(spec))
    assert not extra, "\n".join(extra)


def test_the_client_binds_every_table_and_only_those():
    attributes = {name for name in dir(V3Client) if name[:1].isupper()}
    assert attributes == set(V3_REGISTRY)


# "Batches are limited to 50 trees", "Limit of 10 customers per call", "up to 100 items per request",
# "The batch limit for ... is 25", "batch size of 100", "Currently the limit is 50 variants": the
# documented batch sizes. A number of *concurrent requests* is not a batch size.
_SIZE = re.compile(
    r"(?i)(?:batches are limited to|limit of|support up to|batch limit for [^.]*? is|"
    r"batch size of|currently the limit is|up to)\s+\**(\d[\d,]*\d|\d)\**"
)


def _sizes(text):
    sizes = set()
    for match in _SIZE.finditer(text or ""):
        around = text[max(0, match.start() - 20) : match.end() + 30].lower()
        if not any(word in around for word in ("concurren", "simultaneous", "character", "image")):
            sizes.add(int(match.group(1).replace(",", "")))
    return sizes


@functools.lru_cache(maxsize=None)
def _descriptions():
    found = {}
    for name in FILES:
        for path, item in _spec(name)["paths"].items():
            for method, op in item.items():
                if isinstance(op, dict) and method in ("post", "put"):
                    found[(method.upper(), _shape(path))] = op.get("description") or ""
    return found


def test_batch_sizes_agree_with_the_documented_ones():
    pytest.importorskip("yaml", reason="pyyaml reads the specs (pip install pyyaml)")
    checked, wrong = 0, []
    for cls_name, resource in V3_REGISTRY.items():
        table = resource.v3
        for op, http in (("batch_create", "POST"), ("batch_update", "PUT")):
            if op not in table.ops:
                continue
            ours = table.update_size if op == "batch_update" and table.update_size else table.batch_size
            documented = _sizes(_descriptions().get((http, _shape(table.path)), ""))
            if documented:
                checked += 1
                if ours not in documented:
                    wrong.append(f"{cls_name}.{op}: ours {ours}, documented {sorted(documented)}")
    assert not wrong, "\n".join(wrong)
    assert checked >= 6  # products, variants, trees, customers, attribute values, price list records...
