"""Orders, their sub-resources and the fixed list of order statuses."""
from bigcommerce.resources.base import (
    CountableApiSubResource as SubCountable,
    FullApiResource as Full,
    FullApiSubResource as SubFull,
    ListableApiResource as Listable,
    ListableApiSubResource as SubListable,
    subresource,
)


class Orders(Full):
    resource_name = "orders"

    products = subresource("OrderProducts")
    shipping_addresses = subresource("OrderShippingAddresses")
    shipments = subresource("OrderShipments")
    coupons = subresource("OrderCoupons")
    taxes = subresource("OrderTaxes")
    messages = subresource("OrderMessages")


class _OrderChild:
    __slots__ = ()
    parent_resource = "orders"
    parent_key = "order_id"


class OrderProducts(_OrderChild, SubListable, SubCountable):
    resource_name = "products"


class OrderShippingAddresses(_OrderChild, SubListable, SubCountable):
    resource_name = "shipping_addresses"


class OrderShipments(_OrderChild, SubFull):
    resource_name = "shipments"


class OrderCoupons(_OrderChild, SubListable):
    resource_name = "coupons"


class OrderTaxes(_OrderChild, SubListable):
    resource_name = "taxes"


class OrderMessages(_OrderChild, SubListable):
    resource_name = "messages"


class OrderStatuses(Listable):
    resource_name = "order_statuses"
