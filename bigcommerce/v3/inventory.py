"""v3 inventory: absolute and relative adjustments, and stock per item and location.
See :mod:`bigcommerce.v3.resource`. An adjustment carries at most 2,000 items (documented)."""

from __future__ import annotations

from bigcommerce.v3.resource import Action, Table, V3Resource

__all__ = ["InventoryAdjustments", "InventoryItems", "InventoryLocationItems", "ADJUSTMENT_ITEMS"]

#: Items per adjustment or location-items request, as documented.
ADJUSTMENT_ITEMS = 2000


class InventoryAdjustments(V3Resource):
    """Stock changes: ``absolute(reason=..., items=[{location_id, variant_id, quantity}])`` sets
    levels, ``relative(...)`` adds to them."""

    __slots__ = ()
    v3 = Table(
        "inventory/adjustments",
        "",
        "",
        actions={"absolute": Action("PUT", "absolute"), "relative": Action("POST", "relative")},
    )


class InventoryItems(V3Resource):
    """Stock of every item at every location: ``all(**filters)``."""

    __slots__ = ()
    v3 = Table("inventory/items", "", "all")


class InventoryLocationItems(V3Resource):
    """Stock at one location: ``all(location_id)``; ``update(location_id, settings=[...])`` sets
    safety stock and warning levels."""

    __slots__ = ()
    v3 = Table("inventory/locations/{location_id}/items", "", "all update")
