"""Conformance with BigCommerce's published v2 reference, read at run time from
``<repo root>/../shared/specs`` (never copied into the project; skipped when absent).

Every documented v2 operation (the OpenAPI files and the archived catalog pages) must be served:
answered by a route of the store, not 404/405/501. Every documented GET is sent to a demo store
and its 200 body validated against the documented schema (jsonschema; OpenAPI's ``nullable`` and
``readOnly`` honoured) where the reference gives one. Every documented write with a documented
status (POST, PUT, DELETE of the OpenAPI files) is sent to a fresh store with a body of our own
(``BODIES``, itself checked against the documented request schema), and its status and answer
checked the same way (a 204 carries no body). ``KNOWN`` lists the places where the reference's
schema is wrong against recorded traffic or itself, ``STATUS`` where its status is, each with its
reason.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

import pytest
import requests

from bigcommerce.sandbox import Sandbox

SPECS = Path(__file__).resolve().parents[2].parent / "shared" / "specs"
yaml = pytest.importorskip("yaml", reason="PyYAML reads the reference (pip install -e .[test])")
jsonschema = pytest.importorskip("jsonschema", reason="jsonschema validates answers (.[test])")
pytestmark = pytest.mark.skipif(not SPECS.is_dir(), reason=f"no published reference at {SPECS}")

#: (method, path template) -> why the documented schema is not the answer's
KNOWN = {
    ("GET", "/blog/tags"): "the schema nests the tag array in a second array; its example and "
    "the real API answer one flat array of {tag, post_ids}",
    ("GET", "/coupons"): "restricted_to is typed object, the real API sends [] (recorded)",
    ("GET", "/hooks"): "the list reuses the single-object schema (specs README)",
    ("GET", "/redirects"): "forward.ref is typed integer though manual redirects carry a URL (specs README)",
    ("GET", "/redirects/{id}"): "forward.ref, as for the list",
    ("GET", "/customer_groups"): "discount_rules is a oneOf whose branches both match []",
    ("GET", "/customer_groups/{customer_group_id}"): "discount_rules, as for the list",
    ("POST", "/customer_groups"): "discount_rules, as for the list",
    ("PUT", "/customer_groups/{customer_group_id}"): "discount_rules, as for the list",
    ("POST", "/coupons"): "restricted_to typed object and shipping_methods typed array; the real API "
    "sends [] and null (recorded, specs README)",
    ("PUT", "/coupons/{id}"): "restricted_to and shipping_methods, as for the create",
    ("PUT", "/redirects/{id}"): "forward.ref, as for GET (its request schema even types it string)",
}


CREATED = "documented 200, but the status-code page and the recorded creates say 201 (specs README)"

#: (method, path template) -> (the status the real API answers, why the documented one is wrong)
STATUS = {
    ("POST", template): (201, CREATED)
    for template in (
        "/banners",
        "/blog/posts",
        "/currencies",
        "/customer_groups",
        "/customers",
        "/customers/{customer_id}/addresses",
        "/hooks",
        "/orders",
        "/pages",
        "/redirects",
        "/shipping/zones/{zone_id}/methods",
    )
}

ADDRESS = {
    "first_name": "Jane",
    "last_name": "Doe",
    "phone": "555-0100",
    "street_1": "1 Main Street",
    "city": "Austin",
    "state": "Texas",
    "zip": "78701",
    "country": "United States",
}
COUPON = {
    "name": "Ten off orders",
    "code": "TENOFF",
    "type": "per_total_discount",
    "amount": "10",
    "applies_to": {"entity": "categories", "ids": [0]},
}
BANNER = {
    "name": "Summer sale",
    "content": "<p>Sale</p>",
    "page": "home_page",
    "location": "top",
    "date_type": "always",
}
GIFT = {
    "to_name": "Ann",
    "to_email": "ann@example.com",
    "from_name": "Bob",
    "from_email": "bob@example.com",
    "amount": "25.00",
}
HOOK = {"scope": "store/order/*", "destination": "https://app.example.com/orders", "is_active": True, "headers": {}}


def _shipment(get: Callable[[str], Any], path: str) -> Dict[str, Any]:
    """A shipment of the order's first line to its first shipping address."""
    order = path.split("/")[2]
    address = get(f"/orders/{order}/shipping_addresses")[0]
    line = get(f"/orders/{order}/products")[0]
    return {
        "order_address_id": address["id"],
        "tracking_number": "1Z999AA10123456784",
        "items": [{"order_product_id": line["id"], "quantity": 1}],
    }


#: (method, path template) -> our request body for each documented write (checked against the
#: documented request schema before it is sent); a callable builds it from the concrete path
BODIES: Dict[Tuple[str, str], Any] = {
    ("POST", "/banners"): BANNER,
    ("PUT", "/banners/{id}"): dict(BANNER, content="<p>Sale ends soon</p>"),
    ("POST", "/blog/posts"): {"title": "Hello", "body": "<p>First post</p>", "tags": ["news"]},
    ("PUT", "/blog/posts/{id}"): {"title": "Hello again", "body": "<p>Edited</p>"},
    ("POST", "/brands"): {"name": "Acme"},
    ("PUT", "/brands/{brand_id}"): {"name": "Acme Tools"},
    ("POST", "/coupons"): COUPON,
    ("PUT", "/coupons/{id}"): dict(COUPON, name="Ten off every order", code="TENOFF2"),
    ("POST", "/currencies"): {
        "currency_code": "JPY",
        "currency_exchange_rate": "150.5",
        "name": "Yen",
        "token": "Y",
        "token_location": "left",
        "decimal_token": ".",
        "thousands_token": ",",
        "decimal_places": 0,
    },
    ("PUT", "/currencies/{id}"): {"name": "US Dollar"},
    ("POST", "/customer_groups"): {"name": "Trade partners"},
    ("PUT", "/customer_groups/{customer_group_id}"): {"name": "Trade partners (EU)"},
    ("POST", "/customers"): {
        "first_name": "Jane",
        "last_name": "Doe",
        "email": "jane.doe@example.com",
        "_authentication": {"password": "Sandbox-Pass-1"},
    },
    ("PUT", "/customers/{customer_id}"): {"notes": "prefers email"},
    ("POST", "/customers/{customer_id}/addresses"): ADDRESS,
    ("PUT", "/customers/{customer_id}/addresses/{customer_address_id}"): dict(ADDRESS, street_1="2 Main Street"),
    ("POST", "/customers/{customer_id}/validate"): {"password": "Sandbox-Pass-1"},
    ("POST", "/gift_certificates"): GIFT,
    ("PUT", "/gift_certificates/{id}"): dict(GIFT, amount="30.00", message="Happy birthday"),
    ("POST", "/hooks"): HOOK,
    ("PUT", "/hooks/{id}"): dict(HOOK, destination="https://app.example.com/orders/v2"),
    ("POST", "/orders"): {
        "billing_address": dict(ADDRESS, email="jane.doe@example.com"),
        "products": [{"name": "Gift wrap", "quantity": 1, "price_inc_tax": 5, "price_ex_tax": 5}],
    },
    ("PUT", "/orders/{order_id}"): {"staff_notes": "call before delivery"},
    ("POST", "/orders/{order_id}/shipments"): _shipment,
    ("PUT", "/orders/{order_id}/shipments/{shipment_id}"): {"tracking_number": "1Z999AA10123456785"},
    ("PUT", "/orders/{order_id}/shipping_addresses/{id}"): {"phone": "555-0101"},
    ("POST", "/pages"): {"type": "page", "name": "About us", "body": "<p>About</p>"},
    ("PUT", "/pages/{id}"): {"body": "<p>About us</p>"},
    ("POST", "/products/{product_id}/custom_fields"): {"name": "Material", "text": "Oak"},
    ("PUT", "/products/{product_id}/custom_fields/{id}"): {"name": "Material", "text": "Walnut"},
    ("POST", "/redirects"): {"path": "/old-page/", "forward": {"type": "product", "ref": 1}},
    ("PUT", "/redirects/{id}"): {"path": "/older-page/", "forward": {"type": "product", "ref": "2"}},
    ("POST", "/shipping/carrier/connection"): {"carrier_id": "auspost", "connection": {"auth_key": "k-1"}},
    ("PUT", "/shipping/carrier/connection"): {"carrier_id": "auspost", "connection": {"auth_key": "k-2"}},
    ("DELETE", "/shipping/carrier/connection"): {"carrier_id": "auspost"},
    ("POST", "/shipping/zones"): {"name": "Mexico", "type": "country", "locations": [{"country_iso2": "MX"}]},
    ("PUT", "/shipping/zones/{id}"): {"name": "Mexico and Canada"},
    ("POST", "/shipping/zones/{zone_id}/methods"): {"name": "Per order", "type": "perorder", "settings": {"rate": 8}},
    ("PUT", "/shipping/zones/{zone_id}/methods/{method_id}"): {"settings": {"rate": 11}},
}


def _v2_files() -> List[Path]:
    ref = SPECS / "bigcommerce-docs" / "reference"
    return (
        sorted(ref.glob("*.v2*.yml"))
        + sorted((ref / "payments").glob("*.v2.yml"))
        + sorted((SPECS / "bigcommerce-docs" / "archive" / "rest-catalog").glob("*.v2.y*ml"))
        + [SPECS / "bigcommerce-dev-docs" / "reference" / "webhooks.v2.yml"]
    )


def _resolve(doc: Dict[str, Any], node: Any, depth: int = 0) -> Any:
    if isinstance(node, dict):
        if "$ref" in node and str(node["$ref"]).startswith("#/") and depth < 12:
            target: Any = doc
            for part in node["$ref"][2:].split("/"):
                target = target[part]
            return _resolve(doc, target, depth + 1)
        out = {}
        for key, value in node.items():
            if key in ("example", "examples", "x-examples", "description"):
                continue
            out[key] = _resolve(doc, value, depth)
        if out.pop("nullable", False) and "type" in out:
            out["type"] = [out["type"], "null"]
        return out
    if isinstance(node, list):
        return [_resolve(doc, item, depth) for item in node]
    return node


class Op(NamedTuple):
    """One documented v2 operation: its success status and the JSON schemas of its answer and
    request body (each None where the reference gives none: the catalog pages give neither)."""

    method: str
    template: str
    status: Optional[int]
    schema: Any
    request: Any


def _json_schema(node: Dict[str, Any]) -> Any:
    """The JSON schema of a resolved response or request body (OpenAPI 3 or Swagger 2)."""
    return node.get("content", {}).get("application/json", {}).get("schema") or node.get("schema")


def _documented(doc: Dict[str, Any], op: Dict[str, Any]) -> Op:
    responses = op.get("responses") or {}
    codes = sorted(int(code) for code in responses if str(code).isdigit() and 200 <= int(code) < 300)
    status = codes[0] if codes else None
    schema = _json_schema(_resolve(doc, responses[str(status)] if str(status) in responses else responses.get(status)))
    body = _resolve(doc, op.get("requestBody") or {})
    request = _json_schema(body)
    for parameter in op.get("parameters") or []:  # Swagger 2: the body is a parameter
        parameter = _resolve(doc, parameter)
        if parameter.get("in") == "body":
            request = parameter.get("schema")
    return Op("", "", status, schema, request)


@functools.lru_cache(maxsize=None)  # the survey and the write walk both read it: parse the files once
def operations() -> Tuple[Op, ...]:
    """Every documented v2 operation, sorted by path template then method."""
    found: Dict[Tuple[str, str], Op] = {}
    for path in _v2_files():
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for template, item in (doc.get("paths") or {}).items():
            for method, op in item.items():
                if method in ("get", "post", "put", "delete"):
                    found[(method.upper(), template)] = _documented(doc, op)._replace(
                        method=method.upper(), template=template
                    )
    pages = SPECS / "bigcommerce-docs" / "archive" / "store-operations" / "v2-catalog-products"
    for page in sorted(pages.glob("*.mdx")):
        for method, template in re.findall(
            r"`(GET|POST|PUT|DELETE) /(?:stores/\{store_hash\}/v2|api/v2)(/[^`]*)`", page.read_text(encoding="utf-8")
        ):
            found.setdefault((method, template), Op(method, template, None, None, None))
    return tuple(op for _, op in sorted(found.items(), key=lambda kv: (kv[0][1], kv[0][0])))


@pytest.fixture(scope="module")
def store():
    with Sandbox(products=12, customers=4, orders=4, seed=0) as shop:
        yield shop


def _concrete(session: requests.Session, root: str, template: str) -> str:
    """The template with each ``{id}`` replaced by the first id its collection lists."""
    parts = template.strip("/").split("/")
    path = ""
    for index, part in enumerate(parts):
        if part.startswith("{"):
            listed = session.get(root + path, params={"limit": 1}, timeout=10)
            value = "1"
            if listed.status_code == 200:
                body = listed.json()
                if isinstance(body, dict):
                    body = next((v for v in body.values() if isinstance(v, list) and v), [{}])
                if isinstance(body, list) and body and isinstance(body[0], dict):
                    value = str(body[0].get("id", 1))
            if part == "{country_id}" or (path == "/countries" and index == 1):
                value = "226"
            path += "/" + value
        else:
            path += "/" + part
    return path


def _invalid(instance: Any, schema: Any) -> str:
    """'' when ``instance`` validates against ``schema`` (or there is none), else where and why not."""
    if schema is None:
        return ""
    try:
        jsonschema.validate(instance, schema)
    except jsonschema.ValidationError as error:
        return f" at {'/'.join(map(str, error.absolute_path))}: {error.message[:160]}"
    return ""


def _session(store: Sandbox) -> requests.Session:
    """A session carrying the store's OAuth token, as the survey and the write walk send."""
    session = requests.Session()
    session.headers.update({"X-Auth-Token": store.access_token, "Accept": "application/json"})
    return session


def _survey(store: Sandbox) -> Dict[str, Any]:
    session, root = _session(store), store.v2_url
    served, valid, checked, failures, unserved = 0, 0, 0, [], []
    # records the demo data lacks, so that every documented GET of one has something to show
    session.post(
        root + "/hooks", json={"scope": "store/order/*", "destination": "https://app.example.com/hook"}, timeout=10
    )
    address = session.get(root + "/orders/1/shipping_addresses", timeout=10).json()[0]
    lines = session.get(root + "/orders/1/products", timeout=10).json()
    session.post(
        root + "/orders/1/shipments",
        json={
            "order_address_id": address["id"],
            "tracking_number": "1Z",
            "items": [{"order_product_id": lines[0]["id"], "quantity": 1}],
        },
        timeout=10,
    )
    for method, template, _, schema, _ in operations():
        path = _concrete(session, root, template)
        if not store.serves(method, "/v2" + path):
            unserved.append(f"{method} {template}")
            continue
        served += 1
        if method != "GET" or schema is None or (method, template) in KNOWN:
            continue  # writes: served is what this survey checks (their tests check answers)
        answer = session.get(root + path, timeout=10)
        checked += 1
        if answer.status_code == 204:
            valid += 1  # an empty collection: nothing to validate
            continue
        wrong = _invalid(answer.json(), schema)
        if wrong:
            failures.append(f"{method} {template}{wrong}")
        else:
            valid += 1
    return {
        "operations": len(operations()),
        "served": served,
        "checked": checked,
        "valid": valid,
        "failures": failures,
        "unserved": unserved,
    }


def test_every_documented_v2_operation_is_served_and_gets_validate(store, capsys):
    result = _survey(store)
    with capsys.disabled():
        print(
            f"\nconformance: {result['served']}/{result['operations']} documented v2 operations "
            f"served; {result['valid']}/{result['checked']} GET answers valid"
        )
    assert result["unserved"] == []
    assert result["failures"] == [], "\n".join(result["failures"])


def _write_order(op: Op) -> Tuple[int, int, str]:
    """Creates, then updates, then deletes of one record (children before their parents), then
    collection deletes: every update and delete finds a record, one the walk may have made."""
    phase = {"POST": 0, "PUT": 1}.get(op.method, 2 if op.template.endswith("}") else 3)
    return phase, -op.template.count("/") if phase >= 2 else 0, op.template


def _write_walk(store: Sandbox) -> Dict[str, Any]:
    """Sends every documented v2 write with a documented status (the OpenAPI files; the catalog
    pages document neither status nor schema) and checks its status and answer."""
    session, root = _session(store), store.v2_url

    def get(path: str) -> Any:
        return session.get(root + path, timeout=10).json()

    writes = sorted((op for op in operations() if op.method != "GET" and op.status is not None), key=_write_order)
    validated, failures = 0, []
    for op in writes:
        key, name = (op.method, op.template), f"{op.method} {op.template}"
        path = _concrete(session, root, op.template)
        body = BODIES.get(key)
        if callable(body):
            body = body(get, path)
        if body is None and op.method != "DELETE":
            failures.append(f"{name}: no request body in BODIES")
            continue
        wrong = _invalid(body, op.request) if body is not None else None
        if wrong:
            failures.append(f"{name}: our request body is invalid {wrong}")
            continue
        answer = session.request(op.method, root + path, json=body, timeout=10)
        status = STATUS[key][0] if key in STATUS else op.status
        if key in STATUS and status == op.status:
            failures.append(f"{name}: STATUS lists it, but the reference now documents {op.status}")
        if answer.status_code != status:
            failures.append(f"{name}: {answer.status_code} (expected {status}) {answer.text[:200]}")
        elif status == 204:  # a documented schema here is an empty object: no body at all
            if answer.content:
                failures.append(f"{name}: 204 with a body")
        elif op.schema is not None:
            wrong = _invalid(answer.json(), op.schema)
            if key in KNOWN:
                if not wrong:
                    failures.append(f"{name}: KNOWN lists it, but its answer now validates")
            elif wrong:
                failures.append(f"{name}{wrong}")
            else:
                validated += 1
    unused = sorted(set(BODIES) - {(op.method, op.template) for op in writes})
    failures.extend(f"{m} {t}: in BODIES but not a documented write" for m, t in unused)
    return {
        "writes": len(writes),
        "with_schema": sum(1 for op in writes if op.schema is not None and op.status != 204),
        "validated": validated,
        "failures": failures,
    }


def test_every_documented_v2_write_answers_its_status_and_schema(capsys):
    with Sandbox(products=3, customers=2, orders=2, seed=0) as shop:
        result = _write_walk(shop)
    with capsys.disabled():
        print(
            f"\nconformance: {result['writes']} documented v2 writes answered their status; "
            f"{result['validated']}/{result['with_schema']} answers with a documented schema valid"
        )
    assert result["failures"] == [], "\n".join(result["failures"])
