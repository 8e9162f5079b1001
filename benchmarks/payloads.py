"""Realistic payloads for the benchmarks, built from the recorded BigCommerce traffic.

``product_page(250)`` is a page of 250 products made from the 20 distinct products in
``/work/shared/recorded`` (or ``$BIGCOMMERCE_RECORDED``): each copy gets its own id, name and link
URLs, and the page is serialized the way the real API sends it (compact, with ``\\/`` escapes).
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Dict, List

__all__ = ["recorded_products", "product_page", "product_page_bytes", "RECORDED"]

RECORDED = Path(os.environ.get("BIGCOMMERCE_RECORDED", "/work/shared/recorded/bigcommerce-v2-recorded.jsonl"))


def recorded_products(path: Path = RECORDED) -> List[dict]:
    """The distinct products of the recording (first version seen of each id), by id."""
    found: Dict[int, dict] = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            exchange = json.loads(line)
            if exchange["method"] != "GET" or exchange["status"] != 200:
                continue
            route = exchange["path"].split("?")[0].rstrip("0123456789").rstrip("/")
            if not route.endswith("/products"):
                continue
            body = json.loads(exchange["response_body"])
            for product in body if isinstance(body, list) else [body]:
                if isinstance(product, dict) and "id" in product:
                    found.setdefault(product["id"], product)
    if not found:
        raise RuntimeError(f"no recorded products in {path}")
    return [found[key] for key in sorted(found)]


def _relink(value, old_id: int, new_id: int):
    if isinstance(value, dict):
        return {k: _relink(v, old_id, new_id) for k, v in value.items()}
    if isinstance(value, list):
        return [_relink(v, old_id, new_id) for v in value]
    if isinstance(value, str) and f"/products/{old_id}/" in value:
        return value.replace(f"/products/{old_id}/", f"/products/{new_id}/")
    return value


def product_page(size: int = 250, first_id: int = 1) -> List[dict]:
    """``size`` products with ids ``first_id``.. made by cycling the recorded ones."""
    base = recorded_products()
    page = []
    for index in range(size):
        source = base[index % len(base)]
        new_id = first_id + index
        product = _relink(copy.deepcopy(source), source["id"], new_id)
        product["id"] = new_id
        product["name"] = f"{source['name']} #{new_id}"
        page.append(product)
    return page


def product_page_bytes(size: int = 250, first_id: int = 1) -> bytes:
    """``product_page`` serialized like the real API: compact separators, ``/`` escaped as ``\\/``."""
    text = json.dumps(product_page(size, first_id), separators=(",", ":"))
    return text.replace("/", "\\/").encode("utf-8")
