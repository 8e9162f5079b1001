"""Store-wide resources: geography, money, marketing, content, shipping, payments, store info, hooks."""
from bigcommerce.resources.base import (
    CollectionDeleteableApiResource as CollectionDeleteable,
    CountableApiResource as Countable,
    CountableApiSubResource as SubCountable,
    CreateableApiResource as Createable,
    DeleteableApiResource as Deleteable,
    FullApiResource as Full,
    ListableApiResource as Listable,
    ListableApiSubResource as SubListable,
    SingleObjectApiResource as SingleObject,
    UpdateableApiResource as Updateable,
    list_only,
    subresource,
)


class Countries(Listable, Countable):
    resource_name = "countries"

    states = subresource("CountryStates")


class CountryStates(SubListable, SubCountable):
    parent_resource = "countries"
    parent_key = "country_id"
    resource_name = "states"


class Currencies(Listable, Createable, Updateable, Deleteable, CollectionDeleteable):
    resource_name = "currencies"


class Coupons(Full):
    resource_name = "coupons"


class GiftCertificates(Listable, Createable, Updateable, Deleteable, CollectionDeleteable):
    resource_name = "gift_certificates"


class Banners(Listable, Createable, Updateable, Deleteable, CollectionDeleteable):
    resource_name = "banners"


class BlogPosts(Full):
    resource_name = "blog/posts"


class Pages(Listable, Createable, Updateable, Deleteable, CollectionDeleteable):
    resource_name = "pages"


class Redirects(Full):
    resource_name = "redirects"


class ShippingMethods(Listable):
    resource_name = "shipping/methods"


class PaymentMethods(Listable):
    resource_name = "payments/methods"

    get = list_only()


class TaxClasses(Listable):
    resource_name = "tax_classes"


class Store(SingleObject):
    """A single object: ``api.Store.all()`` (or ``api.Store.get()``) returns the store's settings."""

    resource_name = "store"


class Time(SingleObject):
    """A single object: ``api.Time.all()`` (or ``api.Time.get()``) returns ``{"time": <unix seconds>}``."""

    resource_name = "time"


class Webhooks(Listable, Createable, Updateable, Deleteable):
    resource_name = "hooks"
