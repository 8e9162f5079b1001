"""v3 price lists: the lists, their records (a price per variant and currency) and their assignments
to customer groups and channels. See :mod:`bigcommerce.v3.resource`.

Batch sizes are the documented ones: 100 records per create (``POST``), 1,000 per upsert (``PUT``)
of one list's records, 25 assignments per request.
"""

from __future__ import annotations

from bigcommerce.v3.resource import Table, V3Resource, children

__all__ = [
    "PriceLists",
    "PriceListRecords",
    "PriceListVariantRecords",
    "PriceListsRecords",
    "PriceListAssignments",
    "PriceListsAssignments",
]


class PriceLists(V3Resource):
    """A price list."""

    __slots__ = ()
    v3 = Table("pricelists", "{price_list_id}", "all get create update delete delete_all")
    records = children("PriceListRecords")


class PriceListRecords(V3Resource):
    """A record of a price list: one variant's prices in one currency.

    ``get(price_list_id, variant_id, currency)``; ``update`` sets it; ``batch_create`` (100 a request)
    and ``batch_update`` (upsert, 1,000 a request) take lists; ``delete_all(price_list_id, **filters)``."""

    __slots__ = ()
    v3 = Table(
        "pricelists/{price_list_id}/records",
        "{variant_id}/{currency_code}",
        "all get update delete batch_create batch_update delete_all",
        batch_size=100,
        update_size=1000,
    )


class PriceListVariantRecords(V3Resource):
    """The records of one variant in a price list, every currency: ``all(price_list_id, variant_id)``."""

    __slots__ = ()
    v3 = Table("pricelists/{price_list_id}/records/{variant_id}", "", "all")


class PriceListsRecords(V3Resource):
    """Records of several price lists at once (each names its ``price_list_id``): batch create, upsert."""

    __slots__ = ()
    v3 = Table("pricelists/records", "", "batch_create batch_update", batch_size=100)


class PriceListAssignments(V3Resource):
    """One price list's assignment: ``update(price_list_id, customer_group_id=..., channel_id=...)``."""

    __slots__ = ()
    v3 = Table("pricelists/{price_list_id}/assignments", "", "update")


class PriceListsAssignments(V3Resource):
    """Price list assignments store-wide: list, batch create (25 a request), delete by filter."""

    __slots__ = ()
    v3 = Table("pricelists/assignments", "", "all batch_create delete_all", batch_size=25)
