"""Conformance of the sandbox's v3 API to BigCommerce's published reference files.

Reads ``<repo>/../shared/specs/bigcommerce-docs/reference`` at run time (never copied into the
project), calls every documented operation of the v3 families the sandbox emulates against one
live sandbox, with request bodies built from each operation's request schema (required fields,
with ids of records created earlier in the walk), and validates the status and the body against
the operation's documented response schema. Run this file as a script to print the table of
results per family.
"""

from __future__ import annotations

import copy
import itertools
import re
import sys
import warnings
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
import requests

yaml = pytest.importorskip("yaml", reason="PyYAML (test extra) reads the reference files")
jsonschema = pytest.importorskip("jsonschema", reason="jsonschema (test extra) validates answers")

from bigcommerce.sandbox import Sandbox  # noqa: E402

SPECS = Path(__file__).resolve().parents[2].parent / "shared" / "specs" / "bigcommerce-docs" / "reference"
FILES = [
    f"catalog/{name}"
    for name in (
        "products_catalog.v3.yml",
        "product-variants_catalog.v3.yml",
        "product-variant-options_catalog.v3.yml",
        "product-modifiers_catalog.v3.yml",
        "brands_catalog.v3.yml",
        "categories_catalog.v3.yml",
        "category-trees_catalog.v3.yml",
    )
] + ["customers.v3.yml", "orders.v3.yml", "price_lists.v3.yml", "inventory.v3.yml", "webhooks.v3.yml"]
METHODS = ("get", "post", "put", "delete")
PHASE = {"post": 0, "get": 2, "put": 3, "delete": 4}

pytestmark = pytest.mark.skipif(not SPECS.is_dir(), reason=f"the reference files are not at {SPECS}")


# -- reading the reference ------------------------------------------------------------------------


SAYS_NULL = re.compile(r"this value is `?null`?", re.IGNORECASE)


def _nullable(node: Any) -> Any:
    """OpenAPI 3.0 ``nullable: true`` (or Swagger's ``x-nullable: true``, which some of the
    reference's schemas still use) as JSON Schema (``type: [T, "null"]``); a field whose
    description says "this value is null" (``base_variant_id``, null for complex products) is
    nullable too, whatever its ``type`` omits."""
    if isinstance(node, dict):
        # ``oneOf`` as ``anyOf``: the reference's alternatives overlap (none lists its own required
        # fields), so a strict ``oneOf`` would refuse every answer
        out = {
            ("anyOf" if k == "oneOf" else k): _nullable(v) for k, v in node.items() if k not in ("example", "examples")
        }
        said_null = isinstance(out.get("description"), str) and SAYS_NULL.search(out["description"])
        if (out.get("nullable") or out.get("x-nullable") or said_null) and isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = list(out["enum"]) + [None]
        return out
    if isinstance(node, list):
        return [_nullable(v) for v in node]
    return node


def load(name: str) -> Dict[str, Any]:
    with open(SPECS / name, encoding="utf-8") as handle:
        doc = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # C: 10x faster
    return _nullable(doc)


def deref(doc: Dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = doc
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/")]
        node = target
    return node


def flat(doc: Dict[str, Any], node: Any) -> Dict[str, Any]:
    node = deref(doc, node) or {}
    if "allOf" in node:
        out: Dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in node["allOf"]:
            part = flat(doc, part)
            if part.get("type") == "array":
                return part
            out["properties"].update(part.get("properties", {}))
            out["required"] += part.get("required", [])
        return out
    for key in ("oneOf", "anyOf"):
        if key in node:
            return flat(doc, node[key][0])
    return node


class Op:
    def __init__(
        self, name: str, doc: Dict[str, Any], method: str, path: str, op: Dict[str, Any], item: Dict[str, Any]
    ):
        self.file, self.doc, self.method, self.path, self.op = name, doc, method, path, op
        self.params = [deref(doc, p) for p in op.get("parameters", []) + item.get("parameters", [])]
        self.family = name.split("/")[-1].split(".")[0].replace("_catalog", "")

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def sort_key(self) -> Tuple[int, int, str]:
        depth = self.path.count("/") + self.path.count("{")
        # batch metafield and price record creates name their owner (a variant...) in the body:
        # after every other create
        late = self.method == "post" and (
            self.path.endswith("/metafields") and "{" not in self.path or self.path.endswith("/records")
        )
        return (PHASE[self.method] + late, -depth if self.method == "delete" else depth, self.path)


def operations() -> List[Op]:
    if not SPECS.is_dir():
        return []
    ops = []
    for name in FILES:
        doc = load(name)
        for path, item in doc["paths"].items():
            for method in METHODS:
                if method in item:
                    ops.append(Op(name, doc, method, path, item[method], item))
    return ops


OPS = operations()


# -- building requests ---------------------------------------------------------------------------

COUNTER = itertools.count(1)

# values for fields (by name) that must name records of the walk or follow a format
ID_FIELDS = {
    "product_id": "product",
    "variant_id": "variant",
    "option_id": "option",
    "customer_id": "customer",
    "price_list_id": "price_list",
    "attribute_id": "attribute",
    "modifier_id": "modifier",
    "category_id": "category",
    "order_id": "order",
    "address_id": "address",
    "item_id": "order_line",
}


def sample(doc: Dict[str, Any], schema: Any, name: str, ids: Dict[str, int], family: str, depth: int = 0) -> Any:
    schema = flat(doc, schema)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = kind[0]
    if name in ID_FIELDS and ID_FIELDS[name] in ids:
        return ids[ID_FIELDS[name]]
    if name == "resource_id":
        owner = {
            "brands": "brand",
            "categories": "category",
            "customers": "customer",
            "orders": "order",
            "product-variants": "variant",
        }.get(family, "product")
        return ids.get(owner, 999999)
    if name in ("parent_id",):
        return 0
    if name in ("channel_id", "location_id", "tree_id"):
        return 1
    if name == "customer_group_id":
        return 0
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        # required fields; fields documented as non-empty; every field of a small object that
        # documents none as required (``[{product_id, channel_id}]``)
        required = list(schema.get("required", [])) or (list(props) if len(props) <= 3 else [])
        required += [
            key
            for key, prop in props.items()
            if key not in required and flat(doc, prop).get("minLength") and flat(doc, prop).get("type") == "string"
        ]
        return {key: sample(doc, props[key], key, ids, family, depth + 1) for key in required if key in props}
    if kind == "array":
        return [sample(doc, schema.get("items", {}), name, ids, family, depth + 1)]
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    serial = next(COUNTER)
    if "email" in name:
        return f"walker{serial}@example.com"
    if name.startswith("date") or name.endswith("_at"):
        return "2024-01-02T03:04:05+00:00"
    if name in ("destination", "url", "image_url"):
        return "https://example.com/x.jpg"
    if name == "sku" and "sku" in ids:
        return ids["sku"]
    if name == "country_code":
        return "US"
    if name in ("currency", "currency_code"):
        return "USD"
    if name == "scope":
        return "store/order/*"
    return f"sample-{serial}"


# overrides where the required-fields sample alone cannot work (named by operation)
def body_for(op: Op, ids: Dict[str, int]) -> Tuple[Optional[Any], Optional[str]]:
    body = op.op.get("requestBody")
    if not body:
        return None, None
    content = deref(op.doc, body).get("content", {})
    if "application/json" in content:
        data = sample(op.doc, content["application/json"].get("schema", {}), "", ids, op.family)
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict):
                item.update(resolved(EXTRA.get(op.key, {}), ids))
        if op.method == "put" and isinstance(data, list) and data and isinstance(data[0], dict):
            # a batch update names a record created earlier in the walk
            owner = (
                f"metafield:{op.family}"
                if op.path.endswith("metafields")
                else CREATES.get(op.path, "variant" if op.path.endswith("variants") else "")
            )
            if owner in ids:
                data[0]["id"] = ids[owner]
        return data, "json"
    return {"image_file": ("x.jpg", b"\xff\xd8\xff", "image/jpeg")}, "multipart"


# request fields the reference does not mark required but the store needs (as the real one does)
EXTRA = {
    "POST /catalog/products/{product_id}/images": {"image_url": "https://example.com/a.jpg"},
    "POST /catalog/products/{product_id}/videos": {"video_id": "dQw4w9WgXcQ"},
    "POST /catalog/variants/metafields": {"description": "made by the walk"},
    "POST /catalog/products/{product_id}/options": {"option_values": [{"label": "Red", "sort_order": 0}]},
    "POST /pricelists/records": {"price_list_id": "@price_list", "variant_id": "@variant", "currency": "USD"},
    "PUT /pricelists/records": {"price_list_id": "@price_list", "variant_id": "@variant", "currency": "USD"},
    "POST /pricelists/{price_list_id}/records": {"variant_id": "@variant", "currency": "USD", "price": 9.5},
    "PUT /pricelists/{price_list_id}/records": {"variant_id": "@variant", "currency": "USD", "price": 8.5},
    "PUT /inventory/locations/{location_id}/items": {"settings": [{"identity": {"sku": "@sku"}, "safety_stock": 1}]},
}


def resolved(value: Any, ids: Dict[str, Any]) -> Any:
    """``"@name"`` -> the id (or SKU) of that name made earlier in the walk."""
    if isinstance(value, str) and value.startswith("@"):
        return ids.get(value[1:], 999999)
    if isinstance(value, dict):
        return {k: resolved(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [resolved(v, ids) for v in value]
    return value


def fill_path(op: Op, ids: Dict[str, int]) -> str:
    names = {
        "product_id": "product",
        "variant_id": "variant",
        "option_id": "option",
        "modifier_id": "modifier",
        "image_id": "image",
        "complex_rule_id": "complex_rule",
        "custom_field_id": "custom_field",
        "bulk_pricing_rule_id": "bulk_pricing_rule",
        "review_id": "review",
        "brand_id": "brand",
        "category_id": "category",
        "customerId": "customer",
        "order_id": "order",
        "refund_id": "refund",
        "price_list_id": "price_list",
        "webhook_id": "webhook",
    }

    def value(match: "re.Match[str]") -> str:
        param = match.group(1)
        if param in ("channel_id", "location_id", "tree_id"):
            return "1"
        if param == "currency_code":
            return "USD"
        if param == "order_id" and op.path.endswith("/void"):
            return str(ids["other_order"])  # the first order's payment is captured by then
        if param == "id":
            return str(ids["video"])
        if param in ("metafield_id", "metafieldId"):
            return str(ids[f"metafield:{op.family}"])
        if param == "value_id":
            return str(ids["modifier_value" if "modifiers" in op.path else "option_value"])
        return str(ids[names[param]])

    return re.sub(r"\{(\w+)\}", value, op.path)


def query_for(op: Op, ids: Dict[str, int]) -> Dict[str, str]:
    query = {}
    for param in op.params:
        if param.get("in") == "query" and param.get("required"):
            name = param["name"]
            query[name] = "nothing-matches" if name == "name" else "999999"
    if op.method == "delete" and not query and "{" not in op.path.split("/")[-1] and not op.op.get("requestBody"):
        # a collection delete needs a filter: the first documented list filter, matching nothing
        lists = [p["name"] for p in op.params if p.get("in") == "query" and p["name"].endswith(":in")]
        query[lists[0] if lists else "id:in"] = "999999"
    return query


# what each POST creates, by the path it was sent to (the id of the answer is remembered)
CREATES = {
    "/catalog/products": "product",
    "/catalog/products/{product_id}/variants": "variant",
    "/catalog/products/{product_id}/options": "option",
    "/catalog/products/{product_id}/options/{option_id}/values": "option_value",
    "/catalog/products/{product_id}/modifiers": "modifier",
    "/catalog/products/{product_id}/modifiers/{modifier_id}/values": "modifier_value",
    "/catalog/products/{product_id}/images": "image",
    "/catalog/products/{product_id}/videos": "video",
    "/catalog/products/{product_id}/complex-rules": "complex_rule",
    "/catalog/products/{product_id}/custom-fields": "custom_field",
    "/catalog/products/{product_id}/bulk-pricing-rules": "bulk_pricing_rule",
    "/catalog/products/{product_id}/reviews": "review",
    "/catalog/brands": "brand",
    "/catalog/categories": "category",
    "/customers": "customer",
    "/customers/addresses": "address",
    "/customers/attributes": "attribute",
    "/pricelists": "price_list",
    "/hooks": "webhook",
    "/orders/{order_id}/payment_actions/refunds": "refund",
}


def remember(op: Op, body: Any, ids: Dict[str, int]) -> None:
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, list) and data:
        data = data[0]
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return
    if op.path.endswith("metafields"):
        ids.setdefault(f"metafield:{op.family}", data["id"])
    elif op.path in CREATES:
        ids.setdefault(CREATES[op.path], data["id"])


# -- validating answers --------------------------------------------------------------------------


def check(op: Op, status: int, body: Any) -> Optional[str]:
    """None when the answer is documented and valid; why not otherwise."""
    responses = op.op.get("responses", {})
    documented = deref(op.doc, responses.get(str(status)))
    if documented is None:
        return f"status {status} is not documented ({', '.join(sorted(responses))}): {body!r:.300}"
    content = documented.get("content") or {}
    media = content.get("application/json") or next(iter(content.values()), None)
    schema = media.get("schema") if media else None
    if not schema or status == 204:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        resolver = jsonschema.RefResolver("", op.doc)
    validator = jsonschema.Draft4Validator(schema, resolver=resolver)
    errors = list(validator.iter_errors(body))
    if errors and isinstance(body, dict) and isinstance(body.get("data"), list):
        # a few list operations document ``data`` as one object: validate each item against it
        item = flat(op.doc, flat(op.doc, schema).get("properties", {}).get("data", {}))
        if item.get("type") == "object":
            inner = jsonschema.Draft4Validator(item, resolver=resolver)
            errors = [e for entry in body["data"] for e in inner.iter_errors(entry)]
    if errors:
        error = errors[0]
        return f"{'/'.join(map(str, error.absolute_path))}: [{error.validator}] {error.message[-250:]}"
    return None


# -- the walk ------------------------------------------------------------------------------------


def v3_session(store: Sandbox) -> Tuple[requests.Session, str]:
    """A session with the store's OAuth token, and the v3 root URL."""
    session = requests.Session()
    session.headers.update({"X-Auth-Token": store.access_token, "Accept": "application/json"})
    return session, f"{store.url}/stores/{store.store_hash}/v3"


def walk(store: Sandbox) -> Dict[str, Tuple[int, Optional[str]]]:
    session, root = v3_session(store)
    tables = store.state()
    order = min(tables["orders"])
    ids: Dict[str, int] = {
        "order": order,
        "other_order": max(tables["orders"]),
        "customer": min(tables["customers"]),
        "order_line": min(rid for rid, rec in tables["orders/products"].items() if rec["order_id"] == order),
    }
    stocked = {rec["product_id"] for rec in tables["products/skus"].values()}
    ids["sku"] = next(
        rec["sku"]
        for rec in list(tables["products/skus"].values())
        + [p for p in tables["products"].values() if p["id"] not in stocked]
        if rec["sku"]
    )
    results: Dict[str, Tuple[int, Optional[str]]] = {}
    for op in sorted(OPS, key=Op.sort_key):
        try:
            url = root + fill_path(op, ids)
        except KeyError as exc:
            results[op.key] = (0, f"no id for {exc} (an earlier create failed)")
            continue
        data, kind = body_for(op, ids)
        kwargs: Dict[str, Any] = {"params": query_for(op, ids), "timeout": 10}
        if kind == "json":
            kwargs["json"] = data
        elif kind == "multipart":
            kwargs["files"] = data
        answer = session.request(op.method.upper(), url, **kwargs)
        try:
            body = answer.json() if answer.content else None
        except ValueError:
            body = answer.text
        if answer.status_code < 300:
            remember(op, body, ids)
        why = check(op, answer.status_code, body)
        if why is None and answer.status_code >= 300:
            why = f"{body!r:.300}"
        results[op.key] = (answer.status_code, why)
    session.close()
    return results


@pytest.fixture(scope="module")
def results():
    with Sandbox(products=3, customers=2, orders=2, seed=7) as store:
        yield walk(store)


def test_every_family_file_is_read():
    assert len(OPS) == 222, len(OPS)


@pytest.mark.parametrize("key", [op.key for op in OPS])
def test_operation_answers_as_documented(results, key):
    status, why = results[key]
    assert why is None, f"{key} -> {status}: {why}"
    assert 200 <= status < 300


if __name__ == "__main__":
    with Sandbox(products=3, customers=2, orders=2, seed=7) as shop:
        outcome = walk(shop)
    by_family: Dict[str, List[int]] = {}
    for op in OPS:
        status, why = outcome[op.key]
        good = why is None and 200 <= status < 300
        by_family.setdefault(op.family, [0, 0])[0 if good else 1] += 1
        if not good and "-q" not in sys.argv:
            print(f"FAIL {op.key} -> {status}: {why}")
    total = sum(v[0] for v in by_family.values())
    for family, (good, bad) in by_family.items():
        print(f"{family:28} {good:3} / {good + bad}")
    print(f"{'all':28} {total:3} / {len(OPS)}")


# the reference files disagree with themselves here; the sandbox follows the other files
REFUSAL_EXCEPTIONS = {
    "PUT /catalog/brands/metafields": "documents a 422 whose errors is one object; every other "
    "metafield batch documents an array of error objects",
}
REFUSED = [
    op
    for op in OPS
    if op.method in ("post", "put")
    and "422" in op.op.get("responses", {})
    and "{" not in op.path
    and op.key not in REFUSAL_EXCEPTIONS
]


@pytest.fixture(scope="module")
def refusals():
    """Each top-level write that documents a 422, sent an object with an unknown field."""
    with Sandbox(products=1, customers=1, orders=1, seed=7) as store:
        session, root = v3_session(store)
        answers = {}
        for op in REFUSED:
            answer = session.request(op.method.upper(), root + op.path, json={"sparkle": True}, timeout=10)
            answers[op.key] = (answer.status_code, answer.json() if answer.content else None)
        session.close()
        yield answers


@pytest.mark.parametrize("key", [op.key for op in REFUSED])
def test_refusal_answers_as_documented(refusals, key):
    op = next(op for op in REFUSED if op.key == key)
    status, body = refusals[key]
    assert 400 <= status < 500
    assert check(op, status, body) is None


# -- every documented request field is accepted ------------------------------------------------

FULL_CREATES = [
    "POST /catalog/products",
    "POST /catalog/brands",
    "POST /catalog/categories",
    "POST /customers",
    "POST /customers/attributes",
    "POST /pricelists",
    "POST /hooks",
    "POST /catalog/products/{product_id}/variants",
    "POST /catalog/products/{product_id}/images",
    "POST /catalog/products/{product_id}/videos",
    "POST /catalog/products/{product_id}/custom-fields",
    "POST /catalog/products/{product_id}/bulk-pricing-rules",
    "POST /catalog/products/{product_id}/reviews",
    "POST /catalog/products/{product_id}/complex-rules",
    "POST /catalog/products/{product_id}/options",
    "POST /catalog/products/{product_id}/modifiers",
]
# values the sampler cannot guess: they must name records, or follow a format
FULL_VALUES = {
    "categories": [],
    "tax_class_id": 0,
    "brand_id": 0,
    "related_products": [],
    "gift_wrapping_options_list": [],
    "option_values": [],
    "attributes": [],
    "conditions": [],
    "parent_id": 0,
    "customer_group_id": 0,
    "channel_ids": [1],
    "origin_channel_id": 1,
    "store_credit_amounts": [{"amount": 1.5}],
    "preorder_release_date": "2030-01-01T00:00:00+00:00",
    "status": "approved",
}
FULL_EXTRA = {
    "POST /catalog/products/{product_id}/options": {
        "option_values": [{"label": "Red", "sort_order": 0, "is_default": True, "value_data": {}}]
    }
}


def full_sample(doc: Dict[str, Any], schema: Any, name: str, depth: int = 0) -> Any:
    """Every writable documented property (nested ones too), with values that make sense."""
    if name in FULL_VALUES:
        return copy.deepcopy(FULL_VALUES[name])
    schema = flat(doc, schema)
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    if (kind == "object" or "properties" in schema) and depth < 4:
        return {
            key: full_sample(doc, prop, key, depth + 1)
            for key, prop in schema.get("properties", {}).items()
            if not flat(doc, prop).get("readOnly") and not (key == "id" and depth)
        }
    if kind == "array" and depth < 4:
        return [full_sample(doc, schema.get("items", {}), name, depth + 1)]
    if name == "url":
        return f"/full-{next(COUNTER)}/"
    return sample(doc, schema, name, {}, "", depth)


@pytest.fixture(scope="module")
def full_answers():
    with Sandbox(products=1, customers=1, orders=1, seed=7) as store:
        session, root = v3_session(store)
        product = min(store.state()["products"])
        answers = {}
        for op in OPS:
            if op.key in FULL_CREATES:
                schema = deref(op.doc, op.op["requestBody"])["content"]["application/json"]["schema"]
                body = full_sample(op.doc, schema, "")
                if isinstance(body, dict):
                    body.update(FULL_EXTRA.get(op.key, {}))
                url = root + op.path.replace("{product_id}", str(product))
                answer = session.post(url, json=body, timeout=10)
                answers[op.key] = (answer.status_code, answer.text[:600])
        session.close()
        yield answers


@pytest.mark.parametrize("key", FULL_CREATES)
def test_every_documented_field_is_accepted(full_answers, key):
    status, text = full_answers[key]
    assert status == 200, text
