"""Orders, their sub-resources and the fixed list of order statuses."""
from bigcommerce.resources.base import (
    CollectionDeleteableApiResource as CollectionDeleteable,
    CollectionDeleteableApiSubResource as SubCollectionDeleteable,
    CountableApiResource as Countable,
    CountableApiSubResource as SubCountable,
    CreateableApiResource as Createable,
    CreateableApiSubResource as SubCreateable,
    DeleteableApiResource as Deleteable,
    DeleteableApiSubResource as SubDeleteable,
    ListableApiResource as Listable,
    ListableApiSubResource as SubListable,
    UpdateableApiResource as Updateable,
    UpdateableApiSubResource as SubUpdateable,
    subresource,
)


class Orders(Listable, Createable, Updateable, Deleteable, CollectionDeleteable, Countable):
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


class OrderShipments(_OrderChild, SubListable, SubCreateable, SubUpdateable, SubDeleteable,
                     SubCollectionDeleteable, SubCountable):
    resource_name = "shipments"


class OrderCoupons(_OrderChild, SubListable):
    resource_name = "coupons"


class OrderTaxes(_OrderChild, SubListable):
    resource_name = "taxes"


class OrderMessages(_OrderChild, SubListable):
    resource_name = "messages"


class OrderStatuses(Listable):
    resource_name = "order_statuses"
