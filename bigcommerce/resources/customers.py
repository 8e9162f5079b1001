"""Customers, their addresses and groups."""
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


class Customers(Listable, Createable, Updateable, Deleteable, CollectionDeleteable, Countable):
    resource_name = "customers"

    addresses = subresource("CustomerAddresses")


class CustomerAddresses(SubListable, SubCreateable, SubUpdateable, SubDeleteable, SubCollectionDeleteable,
                        SubCountable):
    parent_resource = "customers"
    parent_key = "customer_id"
    resource_name = "addresses"


class CustomerGroups(Listable, Createable, Updateable, Deleteable, CollectionDeleteable, Countable):
    resource_name = "customer_groups"
