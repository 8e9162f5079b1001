"""v3 customers: customers, their addresses, attributes, form fields, consent, stored instruments,
metafields and the customer settings. See :mod:`bigcommerce.v3.resource` for the operations.

Batch sizes: 10 customers and 10 customers' attribute values per request (documented); metafield
batches 50 (what the store enforces); 10, the common size, for addresses, attributes and form field
values, whose reference gives a number of concurrent requests but no batch size.
"""

from __future__ import annotations

from bigcommerce.v3.resource import Action, Table, V3Resource, children, store_metafields

__all__ = [
    "Customers",
    "CustomersAddresses",
    "CustomersAttributes",
    "CustomersAttributeValues",
    "CustomersFormFieldValues",
    "CustomerConsent",
    "CustomerStoredInstruments",
    "CustomerMetafields",
    "CustomersMetafields",
    "CustomersSettings",
    "CustomersSettingsChannels",
]


class Customers(V3Resource):
    """A customer (v3 shape). ``validate_credentials(email=..., password=..., channel_id=1)``
    answers ``{"is_valid": bool, "customer_id": ...}``."""

    __slots__ = ()
    v3 = Table(
        "customers",
        "",
        "all batch_create batch_update delete_all batch_delete",
        batch_size=10,
        actions={"validate_credentials": Action("POST", "validate-credentials")},
    )
    metafields = children("CustomerMetafields")
    stored_instruments = children("CustomerStoredInstruments")


class CustomersAddresses(V3Resource):
    """Customer addresses, store-wide (each names its ``customer_id``)."""

    __slots__ = ()
    v3 = Table("customers/addresses", "", "all batch_create batch_update delete_all batch_delete", batch_size=10)


class CustomersAttributes(V3Resource):
    """Customer attribute definitions (name, type)."""

    __slots__ = ()
    v3 = Table("customers/attributes", "", "all batch_create batch_update delete_all batch_delete")


class CustomersAttributeValues(V3Resource):
    """Values of customer attributes; ``batch_update`` upserts them."""

    __slots__ = ()
    v3 = Table("customers/attribute-values", "", "all batch_update delete_all batch_delete", batch_size=10)


class CustomersFormFieldValues(V3Resource):
    """Values of the customer and address form fields; ``batch_update`` upserts them."""

    __slots__ = ()
    v3 = Table("customers/form-field-values", "", "all batch_update", batch_size=10)


class CustomerConsent(V3Resource):
    """One customer's marketing consent: ``get(customer_id)``, ``update(customer_id, allow=[...])``."""

    __slots__ = ()
    v3 = Table("customers/{customerId}/consent", "", "get update")


class CustomerStoredInstruments(V3Resource):
    """The stored payment instruments of one customer: ``all(customer_id)``."""

    __slots__ = ()
    v3 = Table("customers/{customerId}/stored-instruments", "", "all")


class CustomerMetafields(V3Resource):
    """A metafield of one customer."""

    __slots__ = ()
    v3 = Table("customers/{customerId}/metafields", "{metafieldId}", "all get create update delete")


class CustomersMetafields(V3Resource):
    """Customer metafields store-wide: list, batch create, update and delete."""

    __slots__ = ()
    v3 = store_metafields("customers/metafields")


class CustomersSettings(V3Resource):
    """The store's customer settings: ``get()``, ``update(**fields)``."""

    __slots__ = ()
    v3 = Table("customers/settings", "", "get update")


class CustomersSettingsChannels(V3Resource):
    """One channel's customer settings: ``get(channel_id)``, ``update(channel_id, **fields)``."""

    __slots__ = ()
    v3 = Table("customers/settings/channels", "{channel_id}", "get update")
