"""``python -m bigcommerce``: the same as the ``bigcommerce`` command (see :mod:`bigcommerce.cli`)."""

import sys

from bigcommerce.cli import main

if __name__ == "__main__":
    sys.exit(main())
