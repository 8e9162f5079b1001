"""What the client does when the network or the store misbehaves, shown with the sandbox's faults.

    python examples/flaky_network.py

Always runs on a sandbox store: it injects failures (a dropped connection, a 503, a 429) and shows
which ones the client absorbs by itself and which reach your code as exceptions.
"""

import time

from bigcommerce.exception import RateLimitingException, ServerException
from bigcommerce.sandbox import Sandbox


def main():
    with Sandbox(products=10, rate_limit=(150, 30000)) as store:
        api = store.api(backoff_factor=0.05, rate_limit_wait=5)

        store.inject("reset_before", times=2, match="GET /products")
        print("GET with two dropped connections:", len(api.Products.all()), "products (retried)")

        store.inject("status", status=503, times=1, match="GET /products")
        print("GET answered 503 once:", api.Products.count(), "products (retried)")

        store.inject("status", status=503, times=10, match="GET /products")
        try:
            api.Products.all()
        except ServerException as error:
            print(f"GET answered 503 every time: ServerException {error.status_code} after the retries")
        store.reset()

        store.inject("rate_limit", reset_ms=300, times=1, match="GET /products")
        began = time.monotonic()
        api.Products.all()
        print(f"GET over the rate limit: waited {time.monotonic() - began:.1f} s and sent it again")

        store.inject("rate_limit", reset_ms=60000, times=1, match="GET /products")
        try:
            api.Products.all()
        except RateLimitingException as error:
            print(f"a 60 s wait exceeds rate_limit_wait=5: RateLimitingException, retry after {error.retry_after:g} s")

        store.inject("reset_after", times=1, match="POST /products")
        try:
            api.Products.create(
                name="Made once",
                type="physical",
                price="5",
                weight="1",
                categories=[api.Categories.all()[0].id],
                availability="available",
            )
        except Exception as error:  # the create may have happened: a POST is never sent twice
            print(
                f"POST whose answer was lost: {type(error).__name__}, not retried;",
                "products named 'Made once':",
                api.Products.count(name="Made once"),
            )
        print("rate limit state:", api.connection.rate_limit)


if __name__ == "__main__":
    main()
