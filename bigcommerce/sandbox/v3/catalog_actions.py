"""v3 catalog operations that are not plain collections: image uploads of brands, categories,
variants and modifier values; category product sort order; category trees (every v2 category is in
tree 1, the tree of channel 1); product channel and category assignments; the catalog summary.

An image upload (multipart ``image_file``, or JSON ``{"image_url"}``) stores the file's name and
answers ``{"data": {"image_url"}}``; the bytes are not kept.
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

from ..routes import Reply
from .catalog import CATEGORIES, IMAGE_BASE, MODIFIER_VALUES, VARIANTS
from .engine import (
    Collection,
    Record,
    Route,
    body_list,
    envelope,
    filter_rows,
    id_list,
    ids_of,
    invalid,
    is_multipart,
    kind_error,
    now_iso,
    path_regex,
    table_of,
)
from .legacy import ItemError, page_of, v3_error

FILENAME = re.compile(rb'filename="([^"]{1,200})"')


def uploaded_name(call: Any) -> str:
    """The image a request names: a multipart ``image_file`` part's file name, or JSON ``image_url``."""
    if is_multipart(call):
        found = FILENAME.search(call.body)
        if not found:
            raise v3_error(422, "JSON data is missing or invalid", {"image_file": "error.path.missing"})
        return str(found.group(1).decode("utf-8", "replace"))
    data = call.json()
    url = data.get("image_url") if isinstance(data, dict) else None
    if not isinstance(url, str) or not url:
        raise v3_error(422, "JSON data is missing or invalid", {"image_url": "error.path.missing"})
    return url


def image_url(name: str) -> str:
    return name if name.startswith("http") else IMAGE_BASE + name


def image_handlers(col: Collection, param: str, field: str, ids_from: Optional[str] = None) -> List[Route]:
    """POST (and DELETE) ``.../{param}/image`` of a collection: sets (clears) the record's image."""
    base = col.item.replace("{rid}", "{" + param + "}") + "/image"

    def find(call: Any, match: Any) -> Record:
        ids = ids_of(match)
        return col.find(call.core.state, ids, ids[param])

    def post(call: Any, match: Any) -> Reply:
        name = uploaded_name(call)
        with call.core.lock:
            col.set_stored(call.core.state, find(call, match), field, name)
            return Reply(200, envelope({"image_url": image_url(name)}), mutated=True)

    def delete(call: Any, match: Any) -> Reply:
        with call.core.lock:
            col.set_stored(call.core.state, find(call, match), field, "")
        return Reply(204, mutated=True)

    routes: List[Route] = [("POST", path_regex(base), post)]
    if col is not VARIANTS and col is not MODIFIER_VALUES:
        routes.append(("DELETE", path_regex(base), delete))
    return routes


BRANDS_IMAGE = image_handlers(Collection("brand", "/v3/catalog/brands", "brands", {}), "brand_id", "image_file")
CATEGORY_IMAGE = image_handlers(
    Collection("category", "/v3/catalog/categories", "categories", {}), "category_id", "image_file"
)
VARIANT_IMAGE = image_handlers(VARIANTS, "variant_id", "image_file")
MODIFIER_VALUE_IMAGE = image_handlers(MODIFIER_VALUES, "value_id", "image_url")


# -- category product sort order ---------------------------------------------------------------


def _category(call: Any, match: Any) -> int:
    cid = int(match.group("category_id"))
    if cid not in call.core.state.tables["categories"]:
        raise v3_error(404, "The category was not found", {"category_id": f"no category with id {cid}"})
    return cid


def get_sort_order(call: Any, match: Any) -> Reply:
    with call.core.lock:
        cid = _category(call, match)
        orders = table_of(call.core.state, "v3/category_sort_order")
        rows = [
            {"id": pid, "product_id": pid, "sort_order": orders.get(cid * 10**9 + pid, {}).get("sort_order", 0)}
            for pid, rec in call.core.state.tables["products"].items()
            if cid in (rec.get("categories") or [])
        ]
        chunk, meta = page_of(rows, call.query)
        return Reply(200, {"data": [{k: v for k, v in r.items() if k != "id"} for r in chunk], "meta": meta})


def put_sort_order(call: Any, match: Any) -> Reply:
    items = body_list(call, 1000, "sort orders")
    errors: Dict[str, str] = {}
    for index, item in enumerate(items):
        for field in ("product_id", "sort_order"):
            value = item.get(field) if isinstance(item, dict) else None
            if kind_error(0, value) or value is None:
                errors[f"{index}.{field}"] = "must be an integer"
    if errors:
        raise v3_error(422, "JSON data is missing or invalid", errors)
    with call.core.lock:
        cid = _category(call, match)
        orders = table_of(call.core.state, "v3/category_sort_order")
        for item in items:
            key = cid * 10**9 + item["product_id"]
            orders[key] = {"id": key, "sort_order": item["sort_order"]}
        return Reply(200, [{"product_id": i["product_id"], "sort_order": i["sort_order"]} for i in items], mutated=True)


# -- category trees ------------------------------------------------------------------------------


def trees(state: Any) -> Dict[int, Record]:
    table = table_of(state, "v3/trees")
    if not table:
        table[1] = {"id": 1, "name": "Default", "channels": [1]}
    return table


def tree_of(state: Any, cid: int) -> int:
    tree: int = CATEGORIES.extra(state).get(cid, {}).get("tree_id", 1)
    return tree


def tree_category(state: Any, rec: Record) -> Record:
    shown = CATEGORIES.render(state, rec)
    out: Record = {
        "category_id": rec["id"],
        "category_uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"category/{rec['id']}")),
        "tree_id": tree_of(state, rec["id"]),
    }
    out.update({k: v for k, v in shown.items() if k not in ("id", "custom_url")})
    out["url"] = {"path": shown["custom_url"]["url"], "is_customized": shown["custom_url"]["is_customized"]}
    return out


def _tree_values(state: Any, item: Any, creating: bool) -> Tuple[Record, Optional[int]]:
    """A trees/categories item as categories values, and its tree id (None: unchanged)."""
    if not isinstance(item, dict):
        raise invalid({"body": "must be an object"})
    data = {k: v for k, v in item.items() if k not in ("category_id", "tree_id", "url")}
    tree = item.get("tree_id")
    if tree is not None and tree not in trees(state):
        raise invalid({"tree_id": f"no category tree with id {tree}"})
    url = item.get("url")
    if url is not None:
        if not isinstance(url, dict) or not isinstance(url.get("path", ""), str):
            raise invalid({"url": "must be an object {path, is_customized}"})
        data["custom_url"] = {"url": url.get("path", ""), "is_customized": bool(url.get("is_customized"))}
    if creating:
        data.setdefault("parent_id", 0)
    return CATEGORIES.check(state, data, creating), tree


def list_tree_categories(call: Any, match: Any) -> Reply:
    with call.core.lock:
        state = call.core.state
        rows = [tree_category(state, rec) | {"id": rec["id"]} for rec in state.tables["categories"].values()]
        fields = dict.fromkeys(rows[0] if rows else ("category_id",))
        rows = filter_rows(rows, call.query, fields)
        chunk, meta = page_of(rows, call.query)
        return Reply(200, {"data": [{k: v for k, v in r.items() if k != "id"} for r in chunk], "meta": meta})


def create_tree_categories(call: Any, match: Any) -> Reply:
    items = body_list(call, 1000, "categories")
    with call.core.lock:
        state = call.core.state
        created: List[Record] = []
        errors: List[Record] = []
        for index, item in enumerate(items):
            try:
                values, tree = _tree_values(state, item, creating=True)
                rec = CATEGORIES.write(state, values, None, {})
            except ItemError as exc:
                errors.append(exc.keyed(index))
                continue
            if tree is not None:
                CATEGORIES.extra(state).setdefault(rec["id"], {})["tree_id"] = tree
            created.append(tree_category(state, rec))
        return _counted(created, errors, 201)


def update_tree_categories(call: Any, match: Any) -> Reply:
    items = body_list(call, 1000, "categories")
    with call.core.lock:
        state = call.core.state
        table = state.tables["categories"]
        done: List[Record] = []
        errors: List[Record] = []
        for index, item in enumerate(items):
            try:
                cid = item.get("category_id") if isinstance(item, dict) else None
                if cid not in table:
                    raise ItemError(404, "The category was not found", {"category_id": f"no category {cid}"})
                values, tree = _tree_values(state, item, creating=False)
                CATEGORIES.write(state, values, table[cid], {})
            except ItemError as exc:
                errors.append(exc.keyed(index))
                continue
            if tree is not None:
                CATEGORIES.extra(state).setdefault(table[cid]["id"], {})["tree_id"] = tree
            done.append(tree_category(state, table[cid]))
        reply = _counted(done, errors, 200)
        if isinstance(reply.body, dict):
            reply.body.pop("data", None)
        return reply


def _counted(done: List[Record], errors: List[Record], status: int) -> Reply:
    meta = {"total": len(done) + len(errors), "success": len(done), "failed": len(errors)}
    if errors and not done:
        first = errors[0]
        raise v3_error(first["status"], first["title"], {k: v for e in errors for k, v in e["errors"].items()})
    if errors:
        return Reply(207, {"data": done, "errors": errors[0], "meta": meta}, mutated=True)
    return Reply(status, {"data": done, "meta": meta}, mutated=True)


def delete_tree_categories(call: Any, match: Any) -> Reply:
    filters = {
        k: v for k, v in call.query.items() if k in ("category_id:in", "tree_id:in", "parent_id:in", "category_uuid:in")
    }
    if not filters:
        raise v3_error(422, "A filter is required", {"category_id:in": "name the categories to delete"})
    with call.core.lock:
        state = call.core.state
        rows = [tree_category(state, rec) | {"id": rec["id"]} for rec in state.tables["categories"].values()]
        doomed = filter_rows(rows, filters, dict.fromkeys(rows[0]) if rows else {})
        for row in doomed:
            CATEGORIES.delete(state, state.tables["categories"][row["id"]])
        return Reply(202, {"meta": {"total": len(doomed), "success": len(doomed), "failed": 0}}, mutated=True)


def list_trees(call: Any, match: Any) -> Reply:
    with call.core.lock:
        rows = filter_rows(list(trees(call.core.state).values()), call.query, {"id": 0, "name": "", "channels": []})
        rows = [r | {"channel_id": r["channels"]} for r in rows]
        rows = filter_rows(
            rows,
            {k.replace("channel_id", "channels"): v for k, v in call.query.items() if k.startswith("channel_id")},
            {"channels": []},
        )
        chunk, meta = page_of([{k: v for k, v in r.items() if k != "channel_id"} for r in rows], call.query)
        return Reply(200, {"data": chunk, "meta": meta})


def upsert_trees(call: Any, match: Any) -> Reply:
    items = body_list(call, 50, "trees")
    errors: Dict[str, str] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"{index}"] = "must be an object"
            continue
        for field, default in (("id", 0), ("name", ""), ("channels", [])):
            why = kind_error(default, item.get(field)) if field in item else None
            if why:
                errors[f"{index}.{field}"] = why
        unknown = set(item) - {"id", "name", "channels"}
        for field in unknown:
            errors[f"{index}.{field}"] = "is not a field the sandbox emulates for this resource"
    if errors:
        raise v3_error(422, "JSON data is missing or invalid", errors)
    with call.core.lock:
        table = trees(call.core.state)
        out = []
        for item in items:
            tid = item.get("id") or max(table) + 1
            rec = table.setdefault(tid, {"id": tid, "name": "", "channels": []})
            rec.update({k: v for k, v in item.items() if k != "id"})
            out.append(dict(rec))
        return Reply(200, {"data": out, "meta": {"total": len(out), "success": len(out), "failed": 0}}, mutated=True)


def delete_trees(call: Any, match: Any) -> Reply:
    text = call.query.get("id:in")
    if not text:
        raise v3_error(422, "A filter is required", {"id:in": "name the trees to delete"})
    with call.core.lock:
        table = trees(call.core.state)
        for tid in id_list(text, "id:in"):
            table.pop(tid, None)
    return Reply(204, mutated=True)


def tree_nodes(call: Any, match: Any) -> Reply:
    tid = int(match.group("tree_id"))
    with call.core.lock:
        state = call.core.state
        if tid not in trees(state):
            raise v3_error(404, "The category tree was not found", {"tree_id": f"no tree with id {tid}"})
        cats = [rec for rec in state.tables["categories"].values() if tree_of(state, rec["id"]) == tid]
        depth_limit = int(call.query.get("depth", "0") or 0) if call.query.get("depth", "").isdigit() else 0

        def node(rec: Record, path: List[int]) -> Record:
            here = path + [rec["id"]]
            children = [node(c, here) for c in cats if c.get("parent_id") == rec["id"]]
            if depth_limit and len(here) >= depth_limit:
                children = []
            shown = CATEGORIES.render(state, rec)
            return {
                "id": rec["id"],
                "parent_id": rec.get("parent_id", 0),
                "depth": len(here),
                "path": path,
                "name": rec["name"],
                "is_visible": shown["is_visible"],
                "children": children,
                "url": shown["custom_url"]["url"],
            }

        roots = [node(rec, []) for rec in cats if not rec.get("parent_id")]
        return Reply(200, envelope(roots))


# -- assignments and summary ---------------------------------------------------------------------


def _pairs(call: Any, other: str) -> List[Tuple[int, int]]:
    items = body_list(call, 10000, "assignments")
    errors: Dict[str, str] = {}
    pairs = []
    state = call.core.state
    for index, item in enumerate(items):
        pid = item.get("product_id") if isinstance(item, dict) else None
        oid = item.get(other) if isinstance(item, dict) else None
        if pid not in state.tables["products"]:
            errors[f"{index}.product_id"] = f"no product with id {pid}"
        if other == "category_id" and oid not in state.tables["categories"]:
            errors[f"{index}.category_id"] = f"no category with id {oid}"
        if other == "channel_id" and (kind_error(0, oid) or oid is None):
            errors[f"{index}.channel_id"] = "must be an integer"
        if isinstance(item, dict) and set(item) - {"product_id", other}:
            errors[f"{index}"] = f"only product_id and {other} are accepted"
        pairs.append((pid, oid))
    if errors:
        raise v3_error(422, "JSON data is missing or invalid", errors)
    return pairs  # type: ignore[return-value]


def _assignment_rows(state: Any, other: str) -> List[Record]:
    rows: List[Record] = []
    if other == "category_id":
        for pid, rec in state.tables["products"].items():
            rows.extend({"product_id": pid, "category_id": cid} for cid in rec.get("categories") or [])
    else:
        channels = table_of(state, "v3/channel_assignments")
        for pid in state.tables["products"]:
            for cid in channels.get(pid, {"channels": [1]})["channels"]:
                rows.append({"product_id": pid, "channel_id": cid})
    return [row | {"id": index} for index, row in enumerate(rows)]


def assignment_routes(segment: str, other: str) -> List[Route]:
    path = path_regex(f"/v3/catalog/products/{segment}")
    fields = {"product_id": 0, other: 0}

    def get(call: Any, match: Any) -> Reply:
        with call.core.lock:
            rows = filter_rows(_assignment_rows(call.core.state, other), call.query, fields)
            chunk, meta = page_of(rows, call.query)
            return Reply(200, {"data": [{k: v for k, v in r.items() if k != "id"} for r in chunk], "meta": meta})

    def put(call: Any, match: Any) -> Reply:
        with call.core.lock:
            state = call.core.state
            for pid, oid in _pairs(call, other):
                if other == "category_id":
                    cats = state.tables["products"][pid].setdefault("categories", [])
                    if oid not in cats:
                        cats.append(oid)
                else:
                    entry = table_of(state, "v3/channel_assignments").setdefault(pid, {"id": pid, "channels": [1]})
                    if oid not in entry["channels"]:
                        entry["channels"].append(oid)
        return Reply(204, mutated=True)

    def delete(call: Any, match: Any) -> Reply:
        filters = {k: v for k, v in call.query.items() if k in ("product_id:in", f"{other}:in")}
        if not filters:
            raise v3_error(422, "A filter is required", {"product_id:in": "name the assignments to remove"})
        with call.core.lock:
            state = call.core.state
            for row in filter_rows(_assignment_rows(state, other), filters, fields):
                if other == "category_id":
                    state.tables["products"][row["product_id"]]["categories"].remove(row["category_id"])
                else:
                    entry = table_of(state, "v3/channel_assignments").setdefault(
                        row["product_id"], {"id": row["product_id"], "channels": [1]}
                    )
                    entry["channels"].remove(row["channel_id"])
        return Reply(204, mutated=True)

    return [("GET", path, get), ("PUT", path, put), ("DELETE", path, delete)]


def summary(call: Any, match: Any) -> Reply:
    with call.core.lock:
        state = call.core.state
        variants = [VARIANTS.render(state, rec) for rec in state.tables["products/skus"].values()]
        products = list(state.tables["products"].values())
        prices = [Decimal(str(v["calculated_price"])) for v in variants] or [
            Decimal(p.get("price") or "0") for p in products
        ]
        count = sum(int(p.get("inventory_level") or 0) for p in products)
        value = sum(Decimal(p.get("price") or "0") * int(p.get("inventory_level") or 0) for p in products)
        counts: Dict[int, int] = {}
        for p in products:
            for cid in p.get("categories") or []:
                counts[cid] = counts.get(cid, 0) + 1
        primary = max(counts, key=lambda c: counts[c]) if counts else 0
        name = state.tables["categories"].get(primary, {}).get("name", "")
        stamp = now_iso()
        return Reply(
            200,
            envelope(
                {
                    "inventory_count": count,
                    "inventory_value": float(value),
                    "primary_category_id": primary,
                    "primary_category_name": name,
                    "variant_count": len(variants) or len(products),
                    "highest_variant_price": float(max(prices, default=Decimal(0))),
                    "average_variant_price": float(sum(prices) / len(prices)) if prices else 0.0,
                    "lowest_variant_price": str(min(prices, default=Decimal(0))),
                    "oldest_variant_date": stamp,
                    "newest_variant_date": stamp,
                }
            ),
        )


ROUTES: List[Route] = (
    BRANDS_IMAGE
    + CATEGORY_IMAGE
    + VARIANT_IMAGE
    + MODIFIER_VALUE_IMAGE
    + [
        ("GET", path_regex("/v3/catalog/categories/{category_id}/products/sort-order"), get_sort_order),
        ("PUT", path_regex("/v3/catalog/categories/{category_id}/products/sort-order"), put_sort_order),
        ("GET", path_regex("/v3/catalog/trees/categories"), list_tree_categories),
        ("POST", path_regex("/v3/catalog/trees/categories"), create_tree_categories),
        ("PUT", path_regex("/v3/catalog/trees/categories"), update_tree_categories),
        ("DELETE", path_regex("/v3/catalog/trees/categories"), delete_tree_categories),
        ("GET", path_regex("/v3/catalog/trees"), list_trees),
        ("PUT", path_regex("/v3/catalog/trees"), upsert_trees),
        ("DELETE", path_regex("/v3/catalog/trees"), delete_trees),
        ("GET", path_regex("/v3/catalog/trees/{tree_id}/categories"), tree_nodes),
        ("GET", path_regex("/v3/catalog/summary"), summary),
    ]
    + assignment_routes("channel-assignments", "channel_id")
    + assignment_routes("category-assignments", "category_id")
)
