"""Customers, their addresses and groups."""

from typing import Any, Optional

from bigcommerce.resources.base import (
    FullApiResource,
    FullApiSubResource,
    Id,
    Requester,
    check_id,
    require_connection,
    subresource,
)


class Customers(FullApiResource):
    resource_name = "customers"

    addresses = subresource("CustomerAddresses")

    @classmethod
    def validate_password(cls, id: Id, password: str, connection: Optional[Requester] = None) -> bool:
        """Whether ``password`` is the customer's (``POST customers/{id}/validate``).

        The password is sent in the body only. Returns ``True`` when the store says ``success``
        (``true`` or ``"true"``), else ``False``; HTTP errors raise as usual.
        """
        path = f"{cls.resource_name}/{check_id(id)}/validate"
        data: Any = require_connection(connection).make_request("POST", path, {"password": password}, None, None)
        success = data.get("success") if isinstance(data, dict) else None
        return success is True or success == "true"


class CustomerAddresses(FullApiSubResource):
    parent_resource = "customers"
    parent_key = "customer_id"
    resource_name = "addresses"


class CustomerGroups(FullApiResource):
    resource_name = "customer_groups"
