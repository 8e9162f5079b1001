"""The v3 step of ``bigcommerce demo``: variants of a product, a category tree, a price list, and a
batch update with a partial failure, printed as code and results (the same tour as docs/v3.rst)."""

from __future__ import annotations

from typing import Any, List, Protocol

from bigcommerce.v3.core import PartialSuccess

__all__ = ["demo_step"]


class Printer(Protocol):
    """What the demo's printer offers (``bigcommerce.cli``'s step printer)."""

    def heading(self, title: str) -> None: ...

    def say(self, text: str) -> None: ...

    def code(self, text: str) -> None: ...

    def result(self, text: str) -> None: ...


def demo_step(out: Printer, api: Any) -> None:
    """Run and print the v3 tour against ``api``'s store (a sandbox with demo data)."""
    v3 = api.v3
    out.heading("The v3 API: variants, a category tree, a price list, a partial batch")
    out.code(
        'product = next(p for p in api.v3.Products.iterall(include="variants")\n'
        '               if len(p["variants"]) > 1)'
    )
    product = next((p for p in v3.Products.iterall(include="variants", limit=50) if len(p["variants"]) > 1), None)
    if product is None:
        out.say("(no product with several variants in this store)")
        return
    out.result(f"{type(product).__name__} id={product.id} name={product.name!r}")
    out.code("for variant in product.variants(): ...")
    variants = product.variants()
    for variant in variants[:4]:
        out.result(f"sku={variant.sku!r}  price={variant.calculated_price!r}  stock={variant.inventory_level!r}")

    out.code("api.v3.CategoryTreeCategories.all(api.v3.CategoryTrees.all()[0].id)")
    tree = v3.CategoryTrees.all()[0]
    lines: List[str] = []

    def walk(nodes: Any, depth: int) -> None:
        for node in nodes:
            lines.append("  " * depth + str(node.get("name")))
            walk(node.get("children") or [], depth + 1)

    walk(v3.CategoryTreeCategories.all(tree.id), 0)
    out.result("\n".join(lines[:10]))

    out.code(
        'wholesale = api.v3.PriceLists.create(name="Demo wholesale", active=True)\n'
        "api.v3.PriceListRecords.batch_update(wholesale.id, [\n"
        '    {"variant_id": v.id, "currency": "USD", "price": v.calculated_price * 0.8} for v in variants])'
    )
    wholesale = v3.PriceLists.create(name="Demo wholesale", active=True)
    v3.PriceListRecords.batch_update(
        wholesale.id,
        [
            {"variant_id": v.id, "currency": "USD", "price": round(float(v.calculated_price or 0) * 0.8, 2)}
            for v in variants
        ],
    )
    for record in wholesale.records()[:2]:
        out.result(f"variant_id={record['variant_id']}  {record['currency']} {record['price']}")

    out.code(
        'api.v3.Variants.batch_update([{"id": v.id, "price": 19.5} for v in variants]\n'
        '                             + [{"id": 999999, "price": 1}])'
    )
    try:
        v3.Variants.batch_update([{"id": v.id, "price": 19.5} for v in variants] + [{"id": 999999, "price": 1}])
        out.result("all applied")
    except PartialSuccess as partial:
        out.result(f"PartialSuccess: {len(partial.data)} applied, {len(partial.errors)} failed")
        for error in partial.errors[:1]:
            out.result(f"{error.get('status')} {error.get('title')}: {error.get('errors')}")
    out.say("A 207 is raised, never passed off as a success: .data holds what was applied, .errors the rest.")
