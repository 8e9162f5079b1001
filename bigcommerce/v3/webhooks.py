"""v3 webhooks (``/v3/hooks``) and the store's webhook admin settings. See :mod:`bigcommerce.v3.resource`.
For verifying the deliveries, see :mod:`bigcommerce.webhooks`."""

from __future__ import annotations

from bigcommerce.v3.resource import Table, V3Resource

__all__ = ["Webhooks", "WebhooksAdmin"]


class Webhooks(V3Resource):
    """A webhook: ``create(scope="store/order/*", destination="https://...", is_active=True)``."""

    __slots__ = ()
    v3 = Table("hooks", "{webhook_id}", "all get create update delete")


class WebhooksAdmin(V3Resource):
    """The store's webhook settings (notification emails, blocked domains): ``get()``, ``update()``."""

    __slots__ = ()
    v3 = Table("hooks/admin", "", "get update")
