"""Export every order to CSV, a few pages at a time, and print a summary by status.

    python examples/export_orders.py                  # writes orders.csv
    python examples/export_orders.py out.csv

``iterall`` fetches page after page (250 orders each) as the loop consumes them, so memory stays
flat however many orders the store has; ``concurrency=4`` keeps four pages in flight.
Uses the store in BIGCOMMERCE_* variables, or a sandbox store when none are set (see connect.py).
"""

import collections
import csv
import sys

from connect import store_api

COLUMNS = [
    "id",
    "date_created",
    "status",
    "customer_id",
    "items_total",
    "subtotal_ex_tax",
    "total_inc_tax",
    "currency_code",
    "payment_method",
]


def main(argv):
    path = argv[0] if argv else "orders.csv"
    by_status = collections.Counter()
    with store_api(orders=300) as api, open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for order in api.Orders.iterall(concurrency=4):
            writer.writerow([order.get(column, "") for column in COLUMNS])
            by_status[order.get("status", "?")] += 1
    print(f"wrote {sum(by_status.values())} orders to {path}")
    for status, count in by_status.most_common():
        print(f"  {count:>5}  {status}")


if __name__ == "__main__":
    main(sys.argv[1:])
