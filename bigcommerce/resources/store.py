"""Store-wide resources: geography, money, marketing, content, shipping, payments, store info, hooks."""

from typing import Any, Dict, Optional

from bigcommerce.resources.base import (
    CollectionDeleteableApiResource,
    CountableApiResource,
    CountableApiSubResource,
    CreateableApiResource,
    CreateableApiSubResource,
    DeleteableApiResource,
    DeleteableApiSubResource,
    FullApiResource,
    ListableApiResource,
    ListableApiSubResource,
    Mapping,
    Requester,
    SingleObjectApiResource,
    UpdateableApiResource,
    UpdateableApiSubResource,
    list_only,
    require_connection,
    subresource,
)


class Countries(ListableApiResource, CountableApiResource):
    resource_name = "countries"

    states = subresource("CountryStates")


class CountryStates(ListableApiSubResource, CountableApiSubResource):
    parent_resource = "countries"
    parent_key = "country_id"
    resource_name = "states"


class Currencies(
    ListableApiResource,
    CreateableApiResource,
    UpdateableApiResource,
    DeleteableApiResource,
    CollectionDeleteableApiResource,
):
    resource_name = "currencies"


class Coupons(FullApiResource):
    resource_name = "coupons"


class GiftCertificates(
    ListableApiResource,
    CreateableApiResource,
    UpdateableApiResource,
    DeleteableApiResource,
    CollectionDeleteableApiResource,
):
    resource_name = "gift_certificates"


class Banners(
    ListableApiResource,
    CreateableApiResource,
    UpdateableApiResource,
    DeleteableApiResource,
    CollectionDeleteableApiResource,
    CountableApiResource,
):
    resource_name = "banners"


class BlogPosts(FullApiResource):
    resource_name = "blog/posts"


class BlogTags(ListableApiResource):
    """The tags used by blog posts: ``[{"tag": "news", "post_ids": [1, 2]}, ...]``."""

    resource_name = "blog/tags"

    get = list_only()
    paged = False  # the endpoint takes no page or limit


class Pages(
    ListableApiResource,
    CreateableApiResource,
    UpdateableApiResource,
    DeleteableApiResource,
    CollectionDeleteableApiResource,
):
    resource_name = "pages"


class Redirects(FullApiResource):
    resource_name = "redirects"


class ShippingMethods(ListableApiResource):
    resource_name = "shipping/methods"


class ShippingZones(ListableApiResource, CreateableApiResource, UpdateableApiResource, DeleteableApiResource):
    resource_name = "shipping/zones"

    methods = subresource("ShippingZoneMethods")


class ShippingZoneMethods(
    ListableApiSubResource, CreateableApiSubResource, UpdateableApiSubResource, DeleteableApiSubResource
):
    """The shipping methods of one zone: ``all(zone_id)``, ``get(zone_id, id)``, ``create(zone_id, ...)``."""

    parent_resource = "shipping/zones"
    resource_name = "methods"


class ShippingCarrierConnection(Mapping):
    """The store's connection to a shipping carrier, named by its ``carrier_id`` (``"auspost"``...).

    There is nothing to read: ``create(carrier_id, settings)`` connects the carrier with its
    settings (``{"auth_key": "...", "test_mode": False}``; they vary by carrier), ``update(carrier_id,
    settings)`` changes them and ``delete(carrier_id)`` disconnects it. The body is
    ``{"carrier_id": ..., "connection": settings}`` (the API's name, hence ``settings`` here). Each
    returns the answer's body, ``None`` for the usual 204.
    """

    __slots__ = ()
    resource_name = "shipping/carrier/connection"

    @classmethod
    def create(cls, carrier_id: str, settings: Dict[str, Any], connection: Optional[Requester] = None) -> Any:
        """POST a carrier's settings: connect it."""
        body = {"carrier_id": carrier_id, "connection": settings}
        return require_connection(connection).make_request("POST", cls.resource_name, body, None, None)

    @classmethod
    def update(  # type: ignore[override]
        cls,
        carrier_id: str,
        settings: Dict[str, Any],
        connection: Optional[Requester] = None,
    ) -> Any:
        """PUT new settings for a connected carrier."""
        body = {"carrier_id": carrier_id, "connection": settings}
        return require_connection(connection).make_request("PUT", cls.resource_name, body, None, None)

    @classmethod
    def delete(cls, carrier_id: str, connection: Optional[Requester] = None) -> Any:
        """DELETE the carrier's connection: disconnect it."""
        return require_connection(connection).make_request(
            "DELETE", cls.resource_name, {"carrier_id": carrier_id}, None, None
        )


class PaymentMethods(ListableApiResource):
    resource_name = "payments/methods"

    get = list_only()


class TaxClasses(ListableApiResource):
    resource_name = "tax_classes"


class Store(SingleObjectApiResource):
    """A single object: ``api.Store.all()`` (or ``api.Store.get()``) returns the store's settings."""

    resource_name = "store"


class Time(SingleObjectApiResource):
    """A single object: ``api.Time.all()`` (or ``api.Time.get()``) returns ``{"time": <unix seconds>}``."""

    resource_name = "time"


class Webhooks(ListableApiResource, CreateableApiResource, UpdateableApiResource, DeleteableApiResource):
    resource_name = "hooks"
