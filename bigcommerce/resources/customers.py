"""Customers, their addresses and groups."""
from bigcommerce.resources.base import (
    FullApiResource as Full,
    FullApiSubResource as SubFull,
    subresource,
)


class Customers(Full):
    resource_name = "customers"

    addresses = subresource("CustomerAddresses")


class CustomerAddresses(SubFull):
    parent_resource = "customers"
    parent_key = "customer_id"
    resource_name = "addresses"


class CustomerGroups(Full):
    resource_name = "customer_groups"
