"""Orders, their sub-resources and the fixed list of order statuses."""

from bigcommerce.resources.base import (
    CountableApiSubResource,
    FullApiResource,
    FullApiSubResource,
    ListableApiResource,
    ListableApiSubResource,
    SingleObjectApiSubResource,
    SingleObjectApiSubSubResource,
    UpdateableApiSubResource,
    subresource,
)


class Orders(FullApiResource):
    resource_name = "orders"

    products = subresource("OrderProducts")
    shipping_addresses = subresource("OrderShippingAddresses")
    shipments = subresource("OrderShipments")
    coupons = subresource("OrderCoupons")
    taxes = subresource("OrderTaxes")
    messages = subresource("OrderMessages")
    consignments = subresource("OrderConsignments")
    fees = subresource("OrderFees")


class _OrderChild:
    __slots__ = ()
    parent_resource = "orders"
    parent_key = "order_id"


class OrderProducts(_OrderChild, ListableApiSubResource, CountableApiSubResource):
    resource_name = "products"


class OrderShippingAddresses(_OrderChild, ListableApiSubResource, UpdateableApiSubResource, CountableApiSubResource):
    resource_name = "shipping_addresses"

    shipping_quotes = subresource("OrderShippingQuotes")


class OrderShipments(_OrderChild, FullApiSubResource):
    resource_name = "shipments"


class OrderCoupons(_OrderChild, ListableApiSubResource):
    resource_name = "coupons"


class OrderTaxes(_OrderChild, ListableApiSubResource):
    resource_name = "taxes"


class OrderMessages(_OrderChild, ListableApiSubResource):
    resource_name = "messages"


class OrderConsignments(_OrderChild, SingleObjectApiSubResource):
    """One object per order: ``{"pickups": [...], "shipping": [...], "downloads": [...], "email": ...}``."""

    resource_name = "consignments"


class OrderFees(_OrderChild, SingleObjectApiSubResource):
    """One object per order: ``{"fees": [...]}``."""

    resource_name = "fees"


class OrderShippingQuotes(SingleObjectApiSubSubResource):
    """The shipping quote of one shipping address of an order: ``get(order_id, shipping_address_id)``."""

    gparent_resource = "orders"
    parent_resource = "shipping_addresses"
    resource_name = "shipping_quotes"


class OrderConsignmentShippingQuotes(SingleObjectApiSubSubResource):
    """The shipping quote of one shipping consignment of an order: ``get(order_id, consignment_id)``."""

    gparent_resource = "orders"
    parent_resource = "consignments/shipping"
    resource_name = "shipping_quotes"


class OrderStatuses(ListableApiResource):
    resource_name = "order_statuses"
