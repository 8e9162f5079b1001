"""The 46 recorded exchanges replayed against the sandbox: same request -> same status, same key sets.

The store is prepared through its own ``--state`` file so that every id the recording uses exists
with the same number (products 32-45, product 33's images 239/240/276, coupons 1-4, countries 5/6/226
and the 65 US states); ids the recording created (coupons 146/147, image 277...) are mapped to the
ids the sandbox hands out. Where the data is reference data (countries, states) or the result of the
request itself (prices written, names changed, error bodies), values are compared too.
"""

from __future__ import annotations

import json
import os
import re
from collections import OrderedDict
from urllib.parse import urlsplit

import pytest
import requests

from bigcommerce.sandbox import Sandbox

RECORDING = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "recorded", "bigcommerce-v2-recorded.jsonl")
RFC2822_GMT = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$")


def load():
    cassettes = OrderedDict()
    with open(RECORDING, encoding="utf-8") as handle:
        for line in handle:
            entry = json.loads(line)
            cassettes.setdefault(entry["cassette"], []).append(entry)
    return cassettes


CASSETTES = load()


@pytest.fixture(scope="module")
def state_file(tmp_path_factory):
    """A state file: demo store of 50 products, with product 33's images renumbered 239/240/276."""
    path = str(tmp_path_factory.mktemp("recorded") / "store.json")
    with Sandbox(products=50, seed=0, state=path):
        pass
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    images = data["tables"]["products/images"]
    mine = [row for row in images if row["product_id"] == 33]
    template = dict(mine[0])
    while len(mine) < 3:
        mine.append(dict(template, is_thumbnail=False))
    others = [row for row in images if row["product_id"] != 33]
    for row, rid in zip(mine, (239, 240, 276)):
        row["id"] = rid
    mine = mine[:3]
    data["tables"]["products/images"] = sorted(others + mine, key=lambda row: row["id"])
    data["next_ids"]["products/images"] = 277
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    return path


def keysets(body):
    if isinstance(body, list):
        return [sorted(item) if isinstance(item, dict) else type(item).__name__ for item in body]
    if isinstance(body, dict):
        return sorted(body)
    return type(body).__name__


def local_path(store, recorded_path, ids):
    path = re.sub(r"^/stores/[^/]+/", f"/stores/{store.store_hash}/", recorded_path)
    parts = path.split("?")[0].split("/")
    for index, part in enumerate(parts):
        if part.isdigit() and (parts[index - 1], int(part)) in ids:
            parts[index] = str(ids[(parts[index - 1], int(part))])
    query = ("?" + path.split("?", 1)[1]) if "?" in path else ""
    return "/".join(parts) + query


def headers_for(store, entry):
    headers = {"Accept": "application/json"}
    if entry["path"].startswith("/stores/"):
        headers["X-Auth-Token"] = store.access_token
        headers["X-Auth-Client"] = store.client_id
    if entry["request_body"] is not None and "Content-Type" in entry["request_headers"]:
        headers["Content-Type"] = entry["request_headers"]["Content-Type"]
    return headers


def check_dates(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key.startswith("date_") and item:
                assert RFC2822_GMT.match(item), (key, item)
            check_dates(item)
    elif isinstance(value, list):
        for item in value:
            check_dates(item)


@pytest.mark.parametrize("cassette", list(CASSETTES))
def test_replay(cassette, state_file, tmp_path):
    """Every exchange of the cassette, in order: same status, same key sets, same error bodies."""
    copy = str(tmp_path / "store.json")
    with open(state_file, encoding="utf-8") as src, open(copy, "w", encoding="utf-8") as dst:
        dst.write(src.read())
    with Sandbox(state=copy) as store:
        session = requests.Session()
        ids = {}
        for entry in CASSETTES[cassette]:
            body = entry["request_body"]
            if entry["path"] == "/oauth2/token":
                form = dict(p.split("=", 1) for p in body.split("&"))
                grant = store.install(
                    scope="store_v2_orders store_v2_products", redirect_uri=requests.utils.unquote(form["redirect_uri"])
                )
                form.update(
                    code=grant["code"],
                    client_id=store.client_id,
                    client_secret=store.client_secret,
                    context="stores%2F" + store.store_hash,
                )
                body = "&".join("{}={}".format(*kv) for kv in form.items())
            url = store.url + local_path(store, entry["path"], ids)
            auth = store.basic_auth if entry["path"].startswith("/api/") else None
            r = session.request(
                entry["method"], url, data=body, auth=auth, headers=headers_for(store, entry), timeout=10
            )
            where = f"{cassette} #{entry['seq']} {entry['method']} {entry['path']}"
            assert r.status_code == entry["status"], (where, r.text[:300])
            expected = json.loads(entry["response_body"]) if entry["response_body"] else None
            if expected is None:
                assert r.content == b"", where
                continue
            got = r.json()
            check_dates(got)
            if entry["path"] == "/oauth2/token":
                assert set(expected) <= set(got), where
                assert set(got["user"]) == set(expected["user"]), where
                continue
            if entry["method"] == "POST":
                resource = urlsplit(entry["path"]).path.rstrip("/").split("/")[-1]
                ids[(resource, expected["id"])] = got["id"]
            if entry["status"] >= 400:
                assert got == expected, where
                continue
            assert keysets(got) == keysets(expected), where
            if isinstance(expected, list):
                assert len(got) == len(expected), where
            compare_values(entry, expected, got, where)


def compare_values(entry, expected, got, where):
    """Values that must agree: reference data and what the request itself wrote."""
    path = urlsplit(entry["path"]).path
    if "/countries" in path:

        def strip(rows):
            return [
                {k: v for k, v in row.items() if k != "states"} for row in (rows if isinstance(rows, list) else [rows])
            ]

        assert strip(got) == strip(expected), where
    if entry["method"] in ("PUT", "POST") and entry["request_body"]:
        sent = json.loads(entry["request_body"])
        for key, _value in sent.items():
            if key in ("image_file",):
                continue
            assert got[key] == expected[key], (where, key, got[key], expected[key])
    if isinstance(expected, dict) and "resource" in json.dumps(expected):
        for key, value in expected.items():
            if isinstance(value, dict) and set(value) == {"url", "resource"}:
                shape = re.sub(r"\d+", "N", value["resource"])
                assert re.sub(r"\d+", "N", got[key]["resource"]) == shape, (where, key)
                assert got[key]["url"].endswith(got[key]["resource"] + ".json"), (where, key)
