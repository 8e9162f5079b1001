"""v3 orders: payment actions (capture, void, refunds, refund quotes), transactions, metafields and
order settings. The orders themselves are v2 (``api.Orders``). See :mod:`bigcommerce.v3.resource`.
"""

from __future__ import annotations

from bigcommerce.v3.resource import Action, Table, V3Resource, store_metafields

__all__ = [
    "OrderPaymentActions",
    "OrderTransactions",
    "OrderRefundQuotes",
    "OrderRefunds",
    "OrdersRefunds",
    "OrderMetafields",
    "OrdersMetafields",
    "OrdersSettings",
    "OrdersSettingsChannels",
]


class OrderPaymentActions(V3Resource):
    """Payment actions on an order: ``capture(order_id)``, ``void(order_id)``."""

    __slots__ = ()
    v3 = Table(
        "orders/{order_id}/payment_actions",
        "",
        "",
        actions={"capture": Action("POST", "capture"), "void": Action("POST", "void")},
    )


class OrderTransactions(V3Resource):
    """The payment transactions of one order: ``all(order_id)``."""

    __slots__ = ()
    v3 = Table("orders/{order_id}/transactions", "", "all")


class OrderRefundQuotes(V3Resource):
    """A refund quote (what a refund would give back): ``create(order_id, items=[...])``."""

    __slots__ = ()
    v3 = Table("orders/{order_id}/payment_actions/refund_quotes", "", "create")


class OrderRefunds(V3Resource):
    """The refunds of one order: ``all(order_id)``, ``create(order_id, items=[...], payments=[...])``."""

    __slots__ = ()
    v3 = Table("orders/{order_id}/payment_actions/refunds", "", "all create")


class OrdersRefunds(V3Resource):
    """Refunds store-wide: ``all(**filters)``, ``get(refund_id)``."""

    __slots__ = ()
    v3 = Table("orders/payment_actions/refunds", "{refund_id}", "all get")


class OrderMetafields(V3Resource):
    """A metafield of one order."""

    __slots__ = ()
    v3 = Table("orders/{order_id}/metafields", "{metafield_id}", "all get create update delete")


class OrdersMetafields(V3Resource):
    """Order metafields store-wide: list, batch create, update and delete."""

    __slots__ = ()
    v3 = store_metafields("orders/metafields")


class OrdersSettings(V3Resource):
    """The store's order settings: ``get()``, ``update(**fields)``."""

    __slots__ = ()
    v3 = Table("orders/settings", "", "get update")


class OrdersSettingsChannels(V3Resource):
    """One channel's order settings: ``get(channel_id)``, ``update(channel_id, **fields)``."""

    __slots__ = ()
    v3 = Table("orders/settings/channels", "{channel_id}", "get update")
