"""v3 orders family, on the v2 order records: payment actions (capture, void), transactions,
refund quotes and refunds, order settings (global and per channel), order metafields.

A capture or a void sets the v2 order's ``payment_status`` (``captured`` / ``void``). Every order
has one ``purchase`` transaction (its ``total_inc_tax``, gateway ``testgateway``);
captures, voids and refunds add transactions of their own in ``v3/order_transactions``. A refund
names order lines (``item_type: PRODUCT``, ``item_id`` = the v2 order product id) and may not
refund more than a line's quantity nor more than the order's total; it raises the v2 order's
``refunded_amount`` and sets ``payment_status`` (``partially refunded`` / ``refunded``), so v2
sees it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict, List, Tuple

from ..routes import Reply
from .catalog import metafields
from .engine import (
    Record,
    Route,
    envelope,
    filter_rows,
    next_id,
    now_iso,
    path_regex,
    required_list,
    routes_of,
    singleton_handlers,
    table_of,
)
from .legacy import page_of, v3_error

TRANSACTIONS = "v3/order_transactions"
REFUNDS = "v3/order_refunds"
METAFIELDS = metafields(
    "order", "order_id", "orders", "/v3/orders/{order_id}/metafields", "/v3/orders/metafields", "v3/order_metafields"
)


def _order(call: Any, match: Any) -> Record:
    oid = int(match.group("order_id"))
    rec: Record = call.core.state.tables["orders"].get(oid)
    if rec is None:
        raise v3_error(404, "The order was not found", {"order_id": f"no order with id {oid}"})
    return rec


def _transaction(order: Record, event: str, amount: Decimal, rid: int) -> Record:
    return {
        "id": rid,
        "order_id": str(order["id"]),
        "event": event,
        "method": "credit_card",
        "amount": float(amount),
        "currency": order.get("currency_code") or "USD",
        "gateway": "testgateway",
        "gateway_transaction_id": f"sandbox-{rid}",
        "test": True,
        "status": "ok",
        "fraud_review": False,
        "date_created": now_iso(),
        "payment_method_id": "testgateway.card",
    }


def _add_transaction(state: Any, order: Record, event: str, amount: Decimal) -> Record:
    rid = next_id(state, TRANSACTIONS)
    rec = _transaction(order, event, amount, rid)
    table_of(state, TRANSACTIONS)[rid] = rec
    return rec


def payment_action(event: str) -> Any:
    def handle(call: Any, match: Any) -> Reply:
        with call.core.lock:
            state = call.core.state
            order = _order(call, match)
            done = {t["event"] for t in table_of(state, TRANSACTIONS).values() if t["order_id"] == str(order["id"])}
            if done & {"capture", "void"}:
                raise v3_error(
                    422,
                    "The payment cannot be changed",
                    {"order_id": f"the payment was already {sorted(done & {'capture', 'void'})[0]}d"},
                )
            _add_transaction(state, order, event, Decimal(order.get("total_inc_tax") or "0"))
            order["payment_status"] = "captured" if event == "capture" else "void"  # as v2 shows it
            return Reply(201, {}, mutated=True)

    return handle


def list_transactions(call: Any, match: Any) -> Reply:
    with call.core.lock:
        state = call.core.state
        order = _order(call, match)
        rows = [_transaction(order, "purchase", Decimal(order.get("total_inc_tax") or "0"), order["id"])]
        rows[0]["id"] = 0
        rows += [t for t in table_of(state, TRANSACTIONS).values() if t["order_id"] == str(order["id"])]
        chunk, meta = page_of(rows, call.query)
        return Reply(200, {"data": chunk, "meta": meta})


def _refund_items(state: Any, order: Record, data: Any) -> Tuple[List[Record], Decimal, Decimal]:
    """Checked refund items of an order, and the amount and tax they refund; 422 otherwise."""
    items = required_list(data, "items")
    lines = {rec["id"]: rec for rec in state.tables["orders/products"].values() if rec["order_id"] == order["id"]}
    errors: Dict[str, str] = {}
    total = tax = Decimal(0)
    checked = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or item.get("item_type") not in ("PRODUCT", "GIFT_WRAPPING"):
            errors[f"items.{index}.item_type"] = "must be PRODUCT or GIFT_WRAPPING"
            continue
        line = lines.get(item.get("item_id"))
        quantity = item.get("quantity")
        if line is None:
            errors[f"items.{index}.item_id"] = f"no line {item.get('item_id')} in order {order['id']}"
        elif not isinstance(quantity, int) or isinstance(quantity, bool) or not 0 < quantity <= line["quantity"]:
            errors[f"items.{index}.quantity"] = f"must be 1 to {line['quantity']}"
        else:
            total += Decimal(line["price_inc_tax"]) * quantity
            tax += Decimal(line["price_tax"]) * quantity
            checked.append(
                {
                    "item_type": item["item_type"],
                    "item_id": line["id"],
                    "quantity": quantity,
                    "reason": str(item.get("reason", "")),
                }
            )
    if errors:
        raise v3_error(422, "JSON data is missing or invalid", errors)
    return checked, total, tax


def refund_quote(call: Any, match: Any) -> Reply:
    data = call.json()
    with call.core.lock:
        state = call.core.state
        order = _order(call, match)
        _, total, tax = _refund_items(state, order, data)
        return Reply(
            201,
            envelope(
                {
                    "order_id": order["id"],
                    "total_refund_amount": float(total),
                    "total_refund_tax_amount": float(tax),
                    "order_level_refund_amount": 0.0,
                    "rounding": 0.0,
                    "adjustment": 0.0,
                    "tax_inclusive": True,
                    "refund_methods": [
                        [
                            {
                                "provider_id": "testgateway",
                                "provider_description": "Test gateway",
                                "amount": float(total),
                                "offline": False,
                                "offline_provider": False,
                                "offline_reason": "",
                            }
                        ]
                    ],
                }
            ),
        )


def create_refund(call: Any, match: Any) -> Reply:
    data = call.json()
    with call.core.lock:
        state = call.core.state
        order = _order(call, match)
        items, total, tax = _refund_items(state, order, data)
        payments = required_list(data, "payments")
        paid = Decimal(0)
        for index, payment in enumerate(payments):
            amount = payment.get("amount") if isinstance(payment, dict) else None
            if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount < 0:
                raise v3_error(
                    422, "JSON data is missing or invalid", {f"payments.{index}.amount": "must be a number >= 0"}
                )
            paid += Decimal(str(amount))
        refunded = Decimal(order.get("refunded_amount") or "0")
        order_total = Decimal(order.get("total_inc_tax") or "0")
        if refunded + paid > order_total:
            raise v3_error(
                422,
                "The refund is more than the order's balance",
                {"payments": f"at most {order_total - refunded} can still be refunded"},
            )
        order["refunded_amount"] = f"{refunded + paid:.4f}"
        order["payment_status"] = "refunded" if refunded + paid == order_total else "partially refunded"
        rid = next_id(state, REFUNDS)
        refund = {
            "id": rid,
            "order_id": order["id"],
            "user_id": 0,
            "created": now_iso(),
            "reason": str(data.get("reason", "")) if isinstance(data, dict) else "",
            "total_amount": float(paid),
            "total_tax": float(tax),
            "uses_merchant_override_values": "merchant_calculated_override" in data,
            "items": items,
            "payments": [
                {
                    "id": rid,
                    "provider_id": str(p.get("provider_id", "testgateway")),
                    "amount": float(p.get("amount", 0)),
                    "offline": bool(p.get("offline")),
                    "is_declined": False,
                    "declined_message": "",
                }
                for p in payments
            ],
        }
        table_of(state, REFUNDS)[rid] = refund
        _add_transaction(state, order, "refund", paid)
        return Reply(201, envelope(refund), mutated=True)


def order_refunds(call: Any, match: Any) -> Reply:
    with call.core.lock:
        order = _order(call, match)
        rows = [r for r in table_of(call.core.state, REFUNDS).values() if r["order_id"] == order["id"]]
        chunk, meta = page_of(rows, call.query)
        return Reply(200, {"data": chunk, "meta": meta})


def all_refunds(call: Any, match: Any) -> Reply:
    with call.core.lock:
        rows = list(table_of(call.core.state, REFUNDS).values())
        rows = filter_rows(rows, call.query, {"id": 0, "order_id": 0, "created": ""})
        chunk, meta = page_of(rows, call.query)
        return Reply(200, {"data": chunk, "meta": meta})


def one_refund(call: Any, match: Any) -> Reply:
    rid = int(match.group("refund_id"))
    with call.core.lock:
        refund = table_of(call.core.state, REFUNDS).get(rid)
        if refund is None:
            raise v3_error(404, "The refund was not found", {"refund_id": f"no refund with id {rid}"})
        return Reply(200, envelope(refund))


def _notifications() -> Record:
    return {"notifications": {"order_placed": {"email_addresses": []}, "forward_invoice": {"email_addresses": []}}}


def settings_handlers(key: str) -> Tuple[Any, Any]:
    """Order settings answer ``{notifications, meta}`` (no ``data`` envelope, as documented)."""
    get, put = singleton_handlers(key, _notifications())

    def unwrap(handler: Any) -> Any:
        def handle(call: Any, match: Any) -> Reply:
            reply: Reply = handler(call, match)
            body = reply.body
            reply.body = dict(body["data"], meta={})
            return reply

        return handle

    return unwrap(get), unwrap(put)


SETTINGS = settings_handlers("orders")
CHANNEL_SETTINGS = settings_handlers("orders/channel")

ROUTES: List[Route] = [
    ("POST", path_regex("/v3/orders/{order_id}/payment_actions/capture"), payment_action("capture")),
    ("POST", path_regex("/v3/orders/{order_id}/payment_actions/void"), payment_action("void")),
    ("GET", path_regex("/v3/orders/{order_id}/transactions"), list_transactions),
    ("POST", path_regex("/v3/orders/{order_id}/payment_actions/refund_quotes"), refund_quote),
    ("POST", path_regex("/v3/orders/{order_id}/payment_actions/refunds"), create_refund),
    ("GET", path_regex("/v3/orders/{order_id}/payment_actions/refunds"), order_refunds),
    ("GET", path_regex("/v3/orders/payment_actions/refunds/{refund_id}"), one_refund),
    ("GET", path_regex("/v3/orders/payment_actions/refunds"), all_refunds),
    ("GET", path_regex("/v3/orders/settings"), SETTINGS[0]),
    ("PUT", path_regex("/v3/orders/settings"), SETTINGS[1]),
    ("GET", path_regex("/v3/orders/settings/channels/{channel_id}"), CHANNEL_SETTINGS[0]),
    ("PUT", path_regex("/v3/orders/settings/channels/{channel_id}"), CHANNEL_SETTINGS[1]),
] + [route for col in METAFIELDS for route in routes_of(col)]
