"""v3 customers family beyond the customer records themselves (those are in :mod:`.legacy`):
addresses (the v2 address records: ``address1`` is v2 ``street_1``, ``state_or_province``
``state``, ``postal_code`` ``zip``, ``country_code`` ``country_iso2``), attributes and their
values, form field values, consent, stored instruments (none are ever stored: an empty list),
settings (global and per channel), credential validation, customer metafields.

Passwords given as ``authentication.new_password`` are kept in ``v3/passwords`` (never shown);
``POST /customers/validate-credentials`` checks them.
"""

from __future__ import annotations

import hmac
from typing import Any, Dict, List, Optional, Tuple

from ..routes import Reply
from . import legacy
from .catalog import metafields
from .engine import (
    Collection,
    Record,
    Route,
    body_list,
    body_object,
    invalid,
    next_id,
    now_iso,
    path_regex,
    routes_of,
    singleton_handlers,
    table_of,
)
from .legacy import ItemError, mixed_answer, v3_error


def _address_prepare(state: Any, values: Record, rec: Optional[Record]) -> None:
    if "country_code" in values:
        code = values["country_code"]
        if not isinstance(code, str) or len(code) != 2:
            raise invalid({"country_code": "must be an ISO 3166 two-letter code"})
        values["country"] = next(
            (c["country"] for c in state.tables["countries"].values() if c.get("country_iso2") == code.upper()),
            code.upper(),
        )


ADDRESSES = Collection(
    "customer addresses",
    "/v3/customers/addresses",
    "customers/addresses",
    {
        "id": 0,
        "customer_id": 0,
        "first_name": "",
        "last_name": "",
        "company": "",
        "address1": "",
        "address2": "",
        "city": "",
        "state_or_province": "",
        "postal_code": "",
        "country": "",
        "country_code": "",
        "phone": "",
        "address_type": "residential",
        "form_fields": [],
    },
    store={
        "address1": "street_1",
        "address2": "street_2",
        "state_or_province": "state",
        "postal_code": "zip",
        "country_code": "country_iso2",
    },
    required=("customer_id", "first_name", "last_name", "address1", "city", "country_code"),
    readonly=("country",),
    enums={"address_type": ("residential", "commercial")},
    owner=("customer_id", "customers"),
    prepare=_address_prepare,
    ops="list batch_create batch_update batch_delete",
    batch=10,
    noun="address",
)

ATTRIBUTES = Collection(
    "customer attributes",
    "/v3/customers/attributes",
    "v3/customer_attributes",
    {"id": 0, "name": "", "type": "string", "date_created": "", "date_modified": ""},
    required=("name", "type"),
    enums={"type": ("string", "number", "date")},
    readonly=("date_created", "date_modified"),
    unique=("name",),
    ops="list batch_create batch_update batch_delete",
    batch=10,
    noun="attribute",
)

ATTRIBUTE_VALUES = Collection(
    "customer attribute values",
    "/v3/customers/attribute-values",
    "v3/customer_attribute_values",
    {"id": 0, "attribute_id": 0, "attribute_value": "", "customer_id": 0, "date_created": "", "date_modified": ""},
    readonly=("date_created", "date_modified"),
    ops="list batch_delete",
    noun="attribute value",
)

FORM_FIELDS = Collection(
    "form field values",
    "/v3/customers/form-field-values",
    "v3/form_field_values",
    {"name": "", "value": "", "customer_id": 0, "address_id": 0},
    ops="list",
    cursor=True,
    hide_id=True,
    noun="form field value",
)

METAFIELDS = metafields(
    "customer",
    "customerId",
    "customers",
    "/v3/customers/{customerId}/metafields",
    "/v3/customers/metafields",
    "v3/customer_metafields",
)
METAFIELDS[0].wrap_one = True  # documented: single writes answer ``data: [metafield]``


def _attribute_value(state: Any, item: Any) -> Tuple[Record, Optional[Record]]:
    """A checked attribute value ``{attribute_id, value, customer_id}`` and the stored record it
    replaces (one per customer and attribute)."""
    if not isinstance(item, dict):
        raise invalid({"body": "must be an object"})
    unknown = set(item) - {"id", "attribute_id", "value", "customer_id"}
    if unknown:
        raise invalid({sorted(unknown)[0]: "is not a field the sandbox emulates for this resource"})
    errors = {f: "error.path.missing" for f in ("attribute_id", "value", "customer_id") if f not in item}
    if errors:
        raise invalid(errors)
    attribute = table_of(state, ATTRIBUTES.table).get(item["attribute_id"])
    if attribute is None:
        raise ItemError(404, "The attribute was not found", {"attribute_id": "no such attribute"})
    if item["customer_id"] not in state.tables["customers"]:
        raise ItemError(404, "The customer was not found", {"customer_id": "no such customer"})
    value = item["value"]
    if not isinstance(value, str) or (attribute["type"] == "number" and not _is_number(value)):
        raise invalid({"value": f"must be a string holding a {attribute['type']}"})
    current = next(
        (
            rec
            for rec in table_of(state, ATTRIBUTE_VALUES.table).values()
            if rec["customer_id"] == item["customer_id"] and rec["attribute_id"] == item["attribute_id"]
        ),
        None,
    )
    return {"attribute_id": item["attribute_id"], "attribute_value": value, "customer_id": item["customer_id"]}, current


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def upsert_attribute_values(call: Any, match: Any) -> Reply:
    items = body_list(call, 10, "attribute values")
    with call.core.lock:
        state = call.core.state
        results: List[Tuple[Optional[Record], Optional[Record]]] = []
        for index, item in enumerate(items):
            try:
                values, current = _attribute_value(state, item)
            except ItemError as exc:
                results.append((None, exc.keyed(index)))
                continue
            if current is None:
                current = ATTRIBUTE_VALUES.write(state, values, None, {})
            else:
                ATTRIBUTE_VALUES.write(state, values, current, {})
            results.append((ATTRIBUTE_VALUES.render(state, current), None))
        reply: Reply = mixed_answer(results)
        return reply


def upsert_form_fields(call: Any, match: Any) -> Reply:
    items = body_list(call, 50, "form field values")
    with call.core.lock:
        state = call.core.state
        table = table_of(state, FORM_FIELDS.table)
        results: List[Tuple[Optional[Record], Optional[Record]]] = []
        for index, item in enumerate(items):
            try:
                values = FORM_FIELDS.check(state, item, creating=True)
                for field in ("name", "value"):
                    if not isinstance(values.get(field), str):
                        raise invalid({field: "error.path.missing"})
                owner = values.get("customer_id") or 0
                if not owner and not values.get("address_id"):
                    raise invalid({"customer_id": "a customer_id or an address_id is required"})
                if owner and owner not in state.tables["customers"]:
                    raise ItemError(404, "The customer was not found", {"customer_id": "no such customer"})
            except ItemError as exc:
                results.append((None, exc.keyed(index)))
                continue
            key = (values.get("customer_id", 0), values.get("address_id", 0), values["name"])
            current = next(
                (rec for rec in table.values() if (rec["customer_id"], rec["address_id"], rec["name"]) == key), None
            )
            if current is None:
                current = FORM_FIELDS.write(state, values, None, {})
            else:
                current.update(values)
            shown = FORM_FIELDS.render(state, current)
            if not shown["address_id"]:
                shown.pop("address_id")
            results.append((shown, None))
        reply: Reply = mixed_answer(results)
        return reply


def validate_credentials(call: Any, match: Any) -> Reply:
    data = call.json()
    errors = {
        f: "error.path.missing"
        for f in ("email", "password")
        if not isinstance(data, dict) or not isinstance(data.get(f), str) or not data.get(f)
    }
    if errors:
        raise v3_error(422, "JSON data is missing or invalid", errors)
    with call.core.lock:
        state = call.core.state
        email = data["email"].lower()
        customer = next((rec for rec in state.tables["customers"].values() if rec["email"].lower() == email), None)
        stored = table_of(state, "v3/passwords").get(customer["id"]) if customer else None
        valid = stored is not None and hmac.compare_digest(
            str(stored["password"]).encode(), str(data["password"]).encode()
        )
        return Reply(200, {"is_valid": valid, "customer_id": customer["id"] if valid and customer else None})


CONSENT = ("essential", "functional", "analytics", "targeting")


def _customer(call: Any, match: Any) -> int:
    cid = int(match.group("customerId"))
    if cid not in call.core.state.tables["customers"]:
        raise v3_error(404, "The customer was not found", {"customerId": f"no customer with id {cid}"})
    return cid


def get_consent(call: Any, match: Any) -> Reply:
    with call.core.lock:
        cid = _customer(call, match)
        rec = table_of(call.core.state, "v3/consent").get(cid)
        if rec is None:
            return Reply(200, {"allow": [], "deny": [], "updated_at": now_iso()})
        return Reply(200, {k: v for k, v in rec.items() if k != "id"})


def put_consent(call: Any, match: Any) -> Reply:
    data = body_object(call)
    errors: Dict[str, str] = {}
    for field in data:
        if field not in ("allow", "deny"):
            errors[field] = "is not a field the sandbox emulates for this resource"
        elif not isinstance(data[field], list) or any(v not in CONSENT for v in data[field]):
            errors[field] = "must be a list of: " + ", ".join(CONSENT)
    if errors:
        raise v3_error(422, "JSON data is missing or invalid", errors)
    with call.core.lock:
        cid = _customer(call, match)
        rec = {
            "id": cid,
            "allow": list(data.get("allow", [])),
            "deny": list(data.get("deny", [])),
            "updated_at": now_iso(),
        }
        table_of(call.core.state, "v3/consent")[cid] = rec
        return Reply(200, {k: v for k, v in rec.items() if k != "id"}, mutated=True)


def stored_instruments(call: Any, match: Any) -> Reply:
    with call.core.lock:
        _customer(call, match)
    return Reply(200, [])


# -- what a customer create/update may carry (called from .legacy) ---------------------------------


def check_children(state: Any, data: Record) -> Record:
    """The ``addresses``, ``attributes``, ``form_fields`` and password of a v3 customer object,
    checked before anything is written; ItemError naming the bad field."""
    children: Record = {}
    for field in ("addresses", "attributes", "form_fields"):
        if field in data:
            if not isinstance(data[field], list):
                raise invalid({field: "must be an array"})
            children[field] = data[field]
    for index, address in enumerate(children.get("addresses", [])):
        try:
            ADDRESSES.check(
                state, dict(address, customer_id=1) if isinstance(address, dict) else address, creating=True
            )
        except ItemError as exc:
            raise invalid({f"addresses.{index}.{k}": v for k, v in exc.errors.items()}) from None
    for index, attribute in enumerate(children.get("attributes", [])):
        if (
            not isinstance(attribute, dict)
            or attribute.get("attribute_id") not in table_of(state, ATTRIBUTES.table)
            or not isinstance(attribute.get("attribute_value"), str)
        ):
            raise invalid({f"attributes.{index}": "must be {attribute_id of an attribute, attribute_value}"})
    for index, field in enumerate(children.get("form_fields", [])):
        if not isinstance(field, dict) or not isinstance(field.get("name"), str) or "value" not in field:
            raise invalid({f"form_fields.{index}": "must be {name, value}"})
    auth = data.get("authentication")
    if isinstance(auth, dict) and "new_password" in auth:
        if not isinstance(auth["new_password"], str) or len(auth["new_password"]) < 7:
            raise invalid({"authentication.new_password": "must be a string of at least 7 characters"})
        children["password"] = auth["new_password"]
    return children


def write_children(state: Any, customer: Record, children: Record) -> None:
    cid = customer["id"]
    for address in children.get("addresses", []):
        ADDRESSES.write(state, ADDRESSES.check(state, dict(address, customer_id=cid), True), None, {})
    for attribute in children.get("attributes", []):
        values, current = _attribute_value(
            state,
            {"attribute_id": attribute["attribute_id"], "value": attribute["attribute_value"], "customer_id": cid},
        )
        ATTRIBUTE_VALUES.write(state, values, current, {})
    table = table_of(state, FORM_FIELDS.table)
    for field in children.get("form_fields", []):
        rid = next_id(state, FORM_FIELDS.table)
        table[rid] = {"id": rid, "name": field["name"], "value": field["value"], "customer_id": cid, "address_id": 0}
    if "password" in children:
        table_of(state, "v3/passwords")[cid] = {"id": cid, "password": children["password"]}


def included(state: Any, customer: Record, include: List[str]) -> Record:
    """The sub-resources ``include=`` asks for on a customer (addresses, attributes, formfields,
    storecredit)."""
    cid = customer["id"]
    out: Record = {}
    if "addresses" in include:
        out["addresses"] = [
            ADDRESSES.render(state, rec)
            for rec in table_of(state, ADDRESSES.table).values()
            if rec["customer_id"] == cid
        ]
    if "attributes" in include:
        out["attributes"] = [
            ATTRIBUTE_VALUES.render(state, rec)
            for rec in table_of(state, ATTRIBUTE_VALUES.table).values()
            if rec["customer_id"] == cid
        ]
    if "formfields" in include:
        out["form_fields"] = [
            {"name": rec["name"], "value": rec["value"]}
            for rec in table_of(state, FORM_FIELDS.table).values()
            if rec["customer_id"] == cid
        ]
    return out


legacy.CUSTOMER_CHILDREN.update(check=check_children, write=write_children, include=included)

CUSTOMER_SETTINGS = {
    "privacy_settings": {"ask_shopper_for_tracking_consent": False, "policy_url": ""},
    "customer_group_settings": {"guest_customer_group_id": 0, "default_customer_group_id": 0},
}
SETTINGS = singleton_handlers("customers", CUSTOMER_SETTINGS)
CHANNEL_SETTINGS = singleton_handlers("customers/channel", dict(CUSTOMER_SETTINGS, allow_global_logins=False))

ROUTES: List[Route] = [
    ("POST", path_regex("/v3/customers/validate-credentials"), validate_credentials),
    ("GET", path_regex("/v3/customers/settings"), SETTINGS[0]),
    ("PUT", path_regex("/v3/customers/settings"), SETTINGS[1]),
    ("GET", path_regex("/v3/customers/settings/channels/{channel_id}"), CHANNEL_SETTINGS[0]),
    ("PUT", path_regex("/v3/customers/settings/channels/{channel_id}"), CHANNEL_SETTINGS[1]),
    ("PUT", path_regex("/v3/customers/attribute-values"), upsert_attribute_values),
    ("PUT", path_regex("/v3/customers/form-field-values"), upsert_form_fields),
    ("GET", path_regex("/v3/customers/{customerId}/consent"), get_consent),
    ("PUT", path_regex("/v3/customers/{customerId}/consent"), put_consent),
    ("GET", path_regex("/v3/customers/{customerId}/stored-instruments"), stored_instruments),
] + [route for col in (ADDRESSES, ATTRIBUTES, ATTRIBUTE_VALUES, FORM_FIELDS, *METAFIELDS) for route in routes_of(col)]
