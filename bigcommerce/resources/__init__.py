"""The v2 resource tree: one class per resource, composed from the mixins in :mod:`.base`.

``REGISTRY`` maps each public class name to its class; ``BigcommerceApi`` declares an attribute for
every entry (``api.Products``; ``tests/test_typed_api.py`` checks that the two agree).
"""

from bigcommerce.resources.base import *  # noqa: F401,F403
from bigcommerce.resources.base import REGISTRY, Mapping  # noqa: F401
from bigcommerce.resources.catalog import *  # noqa: F401,F403
from bigcommerce.resources.customers import *  # noqa: F401,F403
from bigcommerce.resources.orders import *  # noqa: F401,F403
from bigcommerce.resources.products import *  # noqa: F401,F403
from bigcommerce.resources.store import *  # noqa: F401,F403
