"""Deterministic demo data: realistic products, customers and orders for a given seed.

``seed_demo(state, products=N, customers=M, orders=K, seed=S)`` fills a ``StoreState`` the same way
every time for the same arguments. Products are shaped like the recorded ones (all 79 keys, link
objects, decimals as strings, RFC 2822 dates) and come with categories, brands, images, options,
option sets, SKUs, custom fields, discount rules, reviews and Google Shopping mappings; when there
are products the store also gets the four default coupons, a couple of pages, banners, blog posts,
redirects and gift certificates. Customers get addresses and a group; orders get line items,
shipping addresses, and (some) shipments, taxes, coupons and messages.
"""

from __future__ import annotations

import itertools
import random
from decimal import Decimal
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from .dates import format_timestamp
from .schema import BY_NAME, STATUS_NAMES, slug
from .store import StoreState, add_order_children

EPOCH = 1348194661  # Fri, 21 Sep 2012 02:31:01 +0000, the first recorded product's date_created

CATEGORIES = [
    ("Clothing", 0),
    ("Shoes", 0),
    ("Accessories", 0),
    ("Jewelry", 3),
    ("Home", 0),
    ("Kitchen", 5),
    ("Electronics", 0),
    ("Books", 0),
]
BRANDS = [
    "Northwind",
    "Harbor & Pine",
    "Atlas Works",
    "Bluebird",
    "Cinder",
    "Copperfield",
    "Driftwood",
    "Fable",
    "Juniper",
    "Larkspur",
    "Meridian",
    "Oakhurst",
]
ADJECTIVES = [
    "Classic",
    "Vintage",
    "Modern",
    "Rustic",
    "Everyday",
    "Deluxe",
    "Compact",
    "Soft",
    "Bright",
    "Handmade",
    "Organic",
    "Travel",
    "Slim",
    "Heritage",
    "Urban",
    "Coastal",
]
MATERIALS = [
    "cotton",
    "linen",
    "leather",
    "denim",
    "wool",
    "ceramic",
    "oak",
    "steel",
    "bamboo",
    "silver",
    "canvas",
    "glass",
    "copper",
    "suede",
    "cashmere",
    "walnut",
]
NOUNS = [
    ("scarf", 1),
    ("shirt", 1),
    ("coat", 1),
    ("sneakers", 2),
    ("boots", 2),
    ("belt", 3),
    ("wallet", 3),
    ("bangles", 4),
    ("necklace", 4),
    ("throw", 5),
    ("vase", 5),
    ("mug", 6),
    ("skillet", 6),
    ("speakers", 7),
    ("headphones", 7),
    ("notebook", 8),
    ("cookbook", 8),
]
FIRST = [
    "Ada",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Iris",
    "Jonas",
    "Kai",
    "Lena",
    "Mateo",
    "Nora",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Uma",
    "Victor",
]
LAST = [
    "Adams",
    "Baker",
    "Chen",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ito",
    "Jones",
    "Khan",
    "Lopez",
    "Moreau",
    "Novak",
    "Okafor",
    "Patel",
    "Rossi",
    "Silva",
    "Tanaka",
    "Weber",
]
CITIES = [
    ("Austin", "Texas", "78701"),
    ("Denver", "Colorado", "80202"),
    ("Portland", "Oregon", "97205"),
    ("Chicago", "Illinois", "60601"),
    ("Boston", "Massachusetts", "02108"),
    ("Seattle", "Washington", "98101"),
]
STREETS = ["Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Elm St", "Pine Rd", "Lake Blvd"]
DESCRIPTION = (
    "<p><strong>{name}</strong><br />Made from {material} and built to last. A staple of the {brand} collection.</p>"
)

Record = Dict[str, Any]
#: ``add(table, values, at=None)``: insert a record into the store, stamped ``at`` (else the next tick)
Add = Callable[..., Record]
When = Callable[[], int]


def _money(value: float) -> str:
    return str(Decimal(repr(round(value, 2))).quantize(Decimal("0.0001")))


def _address(rng: random.Random, first: str, last: str, email: str = "") -> Record:
    city, state, zipcode = rng.choice(CITIES)
    return {
        "first_name": first,
        "last_name": last,
        "company": "",
        "street_1": (f"{rng.randint(10, 9999)} {rng.choice(STREETS)}"),
        "street_2": "",
        "city": city,
        "state": state,
        "zip": zipcode,
        "country": "United States",
        "country_iso2": "US",
        "phone": f"555-{rng.randint(0, 9999):04d}",
        "email": email,
    }


def _money4(value: Any) -> str:
    """A decimal as the store keeps money: four places, as a string."""
    return str(Decimal(value).quantize(Decimal("0.0001")))


def seed_demo(state: StoreState, products: int = 0, customers: int = 0, orders: int = 0, seed: int = 0) -> None:
    """Fill ``state`` with demo data; deterministic for the same arguments."""
    rng = random.Random(seed)
    clock = itertools.count(EPOCH, 3607)

    def when() -> int:
        return next(clock)

    def add(name: str, values: Record, at: Optional[int] = None) -> Record:
        return state.insert(BY_NAME[name], values, when() if at is None else at)

    if products:
        _catalog(state, rng, products, add, when)
    if customers:
        _customers(state, rng, customers, add)
    if orders:
        _orders(state, rng, orders, add, when)


def _catalog(state: StoreState, rng: random.Random, count: int, add: Add, when: When) -> None:
    category_ids = []
    for name, parent in CATEGORIES:
        rec = add(
            "categories", {"name": name, "parent_id": parent, "url": f"/{slug(name)}/", "description": f"<p>{name}</p>"}
        )
        rec["parent_category_list"] = ([parent] if parent else []) + [rec["id"]]
        category_ids.append(rec["id"])
    brand_ids = [add("brands", {"name": name, "page_title": name})["id"] for name in BRANDS]
    color = add("options", {"name": "Color", "display_name": "Color", "type": "CS"})
    size = add("options", {"name": "Size", "display_name": "Size", "type": "S"})
    values = {}
    for option, labels in ((color, ["Red", "Blue", "Green", "Black"]), (size, ["S", "M", "L", "XL"])):
        values[option["id"]] = [
            add(
                "options/values",
                {
                    "option_id": option["id"],
                    "label": label,
                    "sort_order": index,
                    "value": label if option is size else f"#{rng.randint(0, 0xFFFFFF):06x}",
                },
            )
            for index, label in enumerate(labels)
        ]
    option_sets: List[Tuple[Record, List[Record]]] = []
    for name, opts in (("Color and Size", [color, size]), ("Color only", [color])):
        oset = add("option_sets", {"name": name})
        for index, option in enumerate(opts):
            add(
                "option_sets/options",
                {
                    "option_id": option["id"],
                    "option_set_id": oset["id"],
                    "display_name": option["display_name"],
                    "sort_order": index,
                    "is_required": True,
                    "values": [
                        {
                            "label": v["label"],
                            "sort_order": v["sort_order"],
                            "value": v["value"],
                            "option_value_id": v["id"],
                        }
                        for v in values[option["id"]]
                    ],
                },
            )
        option_sets.append((oset, opts))
    for name, kind, amount in (
        ("5% off order total", "percentage_discount", "5.0000"),
        ("10% off order total", "percentage_discount", "10.0000"),
        ("Free shipping", "free_shipping", "0.0000"),
        ("$5 off shipping", "shipping_discount", "5.0000"),
    ):
        add(
            "coupons",
            {"name": name, "type": kind, "amount": amount, "enabled": True, "code": f"{rng.getrandbits(60):015X}"},
        )
    used: Set[str] = set()
    for index in range(count):
        _product(state, rng, index, used, category_ids, brand_ids, option_sets, values, add, when)
    for title in ("Welcome to the store", "Our spring collection"):
        add(
            "blog/posts",
            {
                "title": title,
                "url": f"/blog/{slug(title)}/",
                "body": f"<p>{title}</p>",
                "is_published": True,
                "author": "Store Owner",
                "published_date": format_timestamp(when()),
                "tags": ["news"],
            },
        )
        add("pages", {"name": title, "url": f"/{slug(title)}/", "body": f"<p>{title}</p>"})
    add("banners", {"name": "Free shipping", "content": "<p>Free shipping over $50</p>"})
    add("redirects", {"path": "/old-shop/", "forward": {"type": "manual", "ref": "/shop-all/"}, "url": "/old-shop/"})
    add(
        "gift_certificates",
        {
            "code": f"GIFT{rng.getrandbits(32):08X}",
            "amount": "50.0000",
            "balance": "50.0000",
            "to_name": "Ada Adams",
            "to_email": "ada@example.com",
            "from_name": "Ben Baker",
            "from_email": "ben@example.com",
        },
    )
    add("customer_groups", {"name": "Retail", "is_default": True})
    add(
        "customer_groups",
        {"name": "Wholesale", "discount_rules": [{"type": "all", "method": "percent", "amount": "10.0000"}]},
    )


def _product(
    state: StoreState,
    rng: random.Random,
    index: int,
    used: Set[str],
    category_ids: List[int],
    brand_ids: List[int],
    option_sets: List[Tuple[Record, List[Record]]],
    values: Dict[int, List[Record]],
    add: Add,
    when: When,
) -> None:
    noun, category = NOUNS[rng.randrange(len(NOUNS))]
    while True:
        name = f"[Sample] {rng.choice(ADJECTIVES)} {rng.choice(MATERIALS)} {noun}"
        if name not in used:
            break
        name = f"{name} {index + 1}"
        if name not in used:
            break
    used.add(name)
    price = rng.choice([9, 19, 29, 39, 49, 59, 89, 110, 149, 249]) + rng.choice([0, 0, 0.5, 0.99])
    sale = round(price * 0.8, 2) if rng.random() < 0.2 else 0
    created = when()
    cats = [category_ids[category - 1]]
    if rng.random() < 0.2:
        cats.append(rng.choice(category_ids))
    oset = option_sets[rng.randrange(len(option_sets))] if rng.random() < 0.35 else None
    sku = f"SKU-{index + 1:05d}" if rng.random() < 0.5 else ""
    product = add(
        "products",
        {
            "name": name,
            "type": "digital" if category == 8 and rng.random() < 0.3 else "physical",
            "sku": sku,
            "description": DESCRIPTION.format(name=name, material=name.split()[2], brand=BRANDS[0]),
            "price": _money(price),
            "sale_price": _money(sale),
            "calculated_price": _money(sale or price),
            "sort_order": 0,
            "is_visible": rng.random() < 0.9,
            "is_featured": rng.random() < 0.25,
            "inventory_level": rng.randint(0, 200),
            "weight": _money(rng.uniform(0.1, 5)),
            "fixed_cost_shipping_price": _money(rng.choice([0, 0, 0, 10])),
            "is_free_shipping": rng.random() < 0.15,
            "rating_total": 0,
            "rating_count": 0,
            "total_sold": rng.randint(0, 50),
            "brand_id": rng.choice(brand_ids),
            "view_count": rng.randint(0, 500),
            "categories": sorted(set(cats)),
            "date_modified": format_timestamp(created + rng.randint(60, 86400 * 90)),
            "option_set_id": oset[0]["id"] if oset else None,
            "custom_url": "/{}/".format(slug(name.replace("[Sample] ", ""))),
        },
        at=created,
    )
    pid = product["id"]
    for number in range(rng.randint(1, 3)):
        add(
            "products/images",
            {
                "product_id": pid,
                "image_file": (f"sample_images/{slug(name)[7:30]}_{number + 1}__{rng.randint(0, 99999):05d}.jpg"),
                "is_thumbnail": number == 0,
                "sort_order": number,
                "description": None,
            },
            at=created + number,
        )
    add("products/custom_fields", {"product_id": pid, "name": "Material", "text": name.split()[2].capitalize()})
    add(
        "products/googleproductsearch",
        {"product_id": pid, "category_id": category, "manufacturer_part_number": f"MPN-{pid:05d}"},
    )
    if rng.random() < 0.1:
        add(
            "products/videos",
            {
                "product_id": pid,
                "url": f"https://www.youtube.com/watch?v={rng.getrandbits(44):011x}",
                "name": f"{name} in use",
            },
        )
    if rng.random() < 0.2:
        add(
            "products/discount_rules",
            {"product_id": pid, "min": 5, "max": 10, "type": "percent", "type_value": "10.0000"},
        )
    if rng.random() < 0.1:
        add("products/configurable_fields", {"product_id": pid, "name": "Gift message", "type": "T", "sort_order": 0})
    for _ in range(rng.choice([0, 0, 1, 2])):
        rating = rng.randint(3, 5)
        add(
            "products/reviews",
            {
                "product_id": pid,
                "author": rng.choice(FIRST),
                "rating": rating,
                "title": f"Great {name.split()[-1]}",
                "review": "Would buy again.",
                "status": 1,
            },
        )
        product["rating_total"] += rating
        product["rating_count"] += 1
    if oset:
        option_set, opts = oset
        product_options = [
            add(
                "products/options",
                {
                    "product_id": pid,
                    "option_id": option["id"],
                    "display_name": option["display_name"],
                    "sort_order": n,
                    "is_required": True,
                },
            )
            for n, option in enumerate(opts)
        ]
        combos = itertools.product(*[values[option["id"]][:2] for option in opts])
        for number, combo in enumerate(combos):
            add(
                "products/skus",
                {
                    "product_id": pid,
                    "sku": f"{sku or 'VAR'}-{pid}-{number + 1}",
                    "adjusted_price": product["calculated_price"],
                    "adjusted_weight": product["weight"],
                    "inventory_level": rng.randint(0, 50),
                    "options": [
                        {"product_option_id": po["id"], "option_value_id": value["id"]}
                        for po, value in zip(product_options, combo)
                    ],
                },
            )
        if rng.random() < 0.5:
            first = product_options[0]
            add(
                "products/rules",
                {
                    "product_id": pid,
                    "sort_order": 0,
                    "price_adjuster": {"adjuster": "relative", "adjuster_value": 5},
                    "conditions": [
                        {
                            "product_option_id": first["id"],
                            "option_value_id": values[first["option_id"]][0]["id"],
                            "sku_id": None,
                        }
                    ],
                },
            )


def _customers(state: StoreState, rng: random.Random, count: int, add: Add) -> None:
    groups = list(state.tables["customer_groups"])
    for index in range(count):
        first, last = FIRST[index % len(FIRST)], LAST[(index * 7 + rng.randrange(3)) % len(LAST)]
        email = f"{first.lower()}.{last.lower()}{index + 1}@example.com"
        customer = add(
            "customers",
            {
                "first_name": first,
                "last_name": last,
                "email": email,
                "phone": f"555-{rng.randint(0, 9999):04d}",
                "company": rng.choice(["", "", "Acme Co"]),
                "customer_group_id": rng.choice(groups) if groups else 0,
                "registration_ip_address": f"203.0.113.{rng.randint(1, 254)}",
                "accepts_marketing": rng.random() < 0.5,
            },
        )
        for _ in range(rng.choice([1, 1, 2])):
            address = _address(rng, first, last)
            address.pop("email")
            add("customers/addresses", dict(address, customer_id=customer["id"]))


def _orders(state: StoreState, rng: random.Random, count: int, add: Add, when: When) -> None:
    products = list(state.tables["products"].values())
    customers = list(state.tables["customers"].values())
    for _ in range(count):
        customer = rng.choice(customers) if customers and rng.random() < 0.8 else None
        if customer:
            first, last, email = customer["first_name"], customer["last_name"], customer["email"]
        else:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{first.lower()}@example.com"
        lines = []
        for _ in range(rng.randint(1, 3)):
            if products:
                product = rng.choice(products)
                lines.append(
                    {
                        "product_id": product["id"],
                        "name": product["name"],
                        "sku": product["sku"],
                        "type": product["type"],
                        "price": Decimal(product["calculated_price"]),
                        "quantity": rng.randint(1, 3),
                        "weight": product["weight"],
                    }
                )
            else:
                lines.append(
                    {
                        "product_id": 0,
                        "name": "Custom item",
                        "sku": "",
                        "type": "physical",
                        "price": Decimal("19.9900"),
                        "quantity": 1,
                        "weight": "0.0000",
                    }
                )
        subtotal = sum(line["price"] * line["quantity"] for line in lines)
        shipping = Decimal(rng.choice(["0.0000", "5.0000", "10.0000"]))
        status_id = rng.choice([1, 2, 7, 9, 10, 10, 11, 11, 5])
        billing = _address(rng, first, last, email)
        created = when()
        order = add(
            "orders",
            {
                "customer_id": customer["id"] if customer else 0,
                "date_modified": format_timestamp(created + 3600),
                "status_id": status_id,
                "status": STATUS_NAMES[status_id],
                "date_shipped": format_timestamp(created + 86400) if status_id in (2, 10) else "",
                "subtotal_ex_tax": _money4(subtotal),
                "subtotal_inc_tax": _money4(subtotal),
                "base_shipping_cost": _money4(shipping),
                "shipping_cost_ex_tax": _money4(shipping),
                "shipping_cost_inc_tax": _money4(shipping),
                "total_ex_tax": _money4(subtotal + shipping),
                "total_inc_tax": _money4(subtotal + shipping),
                "items_total": sum(line["quantity"] for line in lines),
                "items_shipped": sum(line["quantity"] for line in lines) if status_id in (2, 10) else 0,
                "payment_method": rng.choice(["Credit Card", "PayPal", "Manual"]),
                "payment_status": "captured" if status_id not in (1, 7) else "",
                "ip_address": f"203.0.113.{rng.randint(1, 254)}",
                "geoip_country": "United States",
                "geoip_country_iso2": "US",
                "billing_address": billing,
                "shipping_address_count": 1,
                "order_source": "www",
            },
            at=created,
        )
        shipping_address = dict(billing, shipping_method="Flat Rate Per Order")
        add_order_children(state, order, lines, [shipping_address], created)
        address_id = max(state.tables["orders/shipping_addresses"])
        if status_id in (2, 10):
            add(
                "orders/shipments",
                {
                    "order_id": order["id"],
                    "customer_id": order["customer_id"],
                    "order_address_id": address_id,
                    "tracking_number": f"1Z{rng.getrandbits(50):016d}",
                    "shipping_method": "Flat Rate Per Order",
                    "shipping_provider": "ups",
                    "tracking_carrier": "ups",
                    "billing_address": dict(billing),
                    "shipping_address": dict(billing),
                    "items": [
                        {"order_product_id": row["id"], "product_id": row["product_id"], "quantity": row["quantity"]}
                        for row in state.rows(BY_NAME["orders/products"], order["id"])
                    ],
                },
                at=created + 86400,
            )
        if rng.random() < 0.3:
            add(
                "orders/taxes",
                {
                    "order_id": order["id"],
                    "order_address_id": address_id,
                    "tax_rate_id": 1,
                    "tax_class_id": 0,
                    "name": "Sales Tax",
                    "class": "Default Tax Class",
                    "rate": "8.2500",
                    "priority": 0,
                    "priority_amount": "0.0000",
                    "line_amount": _money4(subtotal * Decimal("0.0825")),
                },
            )
        if rng.random() < 0.2 and state.tables["coupons"]:
            coupon = state.tables["coupons"][min(state.tables["coupons"])]
            add(
                "orders/coupons",
                {
                    "coupon_id": coupon["id"],
                    "order_id": order["id"],
                    "code": coupon["code"],
                    "amount": coupon["amount"],
                    "type": 1,
                    "discount": "0.0000",
                },
            )
        if rng.random() < 0.2:
            add(
                "orders/messages",
                {
                    "order_id": order["id"],
                    "customer_id": order["customer_id"],
                    "subject": "Delivery",
                    "message": "Please leave at the door.",
                    "customer": {"first_name": first, "last_name": last, "email": email},
                },
            )
