"""bigcommerce-api: a Python client for the BigCommerce store API.

The classic interface lives in :mod:`bigcommerce.api` (``BigcommerceApi``), the transport in
:mod:`bigcommerce.connection`, the exception family in :mod:`bigcommerce.exception` and the resource
classes in :mod:`bigcommerce.resources`. :mod:`bigcommerce.sandbox` is a local store for tests.
"""

__version__ = "1.0.0"  # above the published bigcommerce-api 0.10.1 (2014) and bigcommerce 0.23.4

from bigcommerce import api, connection, exception, resources  # noqa: E402,F401
from bigcommerce.api import BigcommerceApi  # noqa: E402,F401

__all__ = ["api", "connection", "exception", "resources", "BigcommerceApi", "__version__"]
