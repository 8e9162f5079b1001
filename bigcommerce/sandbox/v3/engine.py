"""The generic v3 collection engine: one ``Collection`` declaration gives list/get/create/update/
delete/batch handlers that answer as BigCommerce's v3 reference documents them.

A ``Collection`` says where it lives (a path template such as
``/v3/catalog/products/{product_id}/videos``), which table of ``StoreState.tables`` holds its
records, its fields in output order with their defaults (the default's type is the field's type:
a request that sends another type, or a field the sandbox does not know, is refused with a 422
naming the field: nothing is dropped silently), which fields are required on create, which are
read-only (accepted and ignored, as the real API does), and which operations and batch size it
has. Collections that share a v2 table (brands, categories, images, SKUs as variants...) map
their v3 field names onto the v2 record's keys (``store``); v3-only values of such records are
kept in a side table ``v3/extra/<table>`` so that the v2 rendering never shows them.

A ``StandIn`` gives a collection one derived record for each record of another table that has
none of its own (a product without SKUs shows its *base variant*): nothing is stored for it but
the values that have no place in the source record; its id is ``offset + source id``, and its
mirrored fields are read from and written to the source record, so each side sees the other's
changes. The source's deletion takes the stand-in with it.

Every handler has the sandbox's signature ``handler(call, match) -> Reply`` and changes the
store under ``call.core.lock``.
"""

from __future__ import annotations

import copy
import re
import time
import zlib
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from ..routes import Reply
from ..schema import BY_NAME
from ..store import ApiError, decimal4, error_object
from .legacy import ItemError, cursor_page_of, iso_date, mixed_answer, now_rfc, page_of, v3_error

# re-exported: the families read bodies and build answers through the engine
from .legacy import body_list as body_list
from .legacy import body_object as body_object
from .legacy import envelope as envelope
from .legacy import id_list as id_list
from .legacy import invalid as invalid

Record = Dict[str, Any]
Table = Dict[int, Record]
Handler = Callable[[Any, Any], Reply]
Route = Tuple[str, str, Handler]

#: query parameters that are not filters
CONTROL = frozenset(
    (
        "page",
        "limit",
        "include",
        "include_fields",
        "exclude_fields",
        "sort",
        "direction",
        "before",
        "after",
        "channel_id",
        "depth",
    )
)
ID = r"(?P<{}>[0-9]{{1,12}})"


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def path_regex(template: str) -> str:
    """``/v3/a/{x}/b`` -> ``^/v3/a/(?P<x>[0-9]{1,12})/b$``."""
    return "^" + re.sub(r"\{(\w+)\}", lambda m: ID.format(m.group(1)), template) + "$"


def table_of(state: Any, name: str) -> Table:
    """A table of the store, created empty the first time (v3-only tables are made on use)."""
    tables: Dict[str, Table] = state.tables
    table = tables.get(name)
    if table is None:
        table = tables[name] = {}
    return table


def next_id(state: Any, name: str) -> int:
    """The next id of a v3 table (the first one follows whatever the table already holds)."""
    ids: Dict[str, int] = state.next_ids
    rid = ids.get(name)
    if rid is None:
        rid = max(table_of(state, name), default=0) + 1
    ids[name] = rid + 1
    return rid


def kind_error(default: Any, value: Any) -> Optional[str]:
    """Why ``value`` is not of the type of ``default`` (None when it is; a None default takes
    anything, as for the nullable fields)."""
    if default is None:
        return None
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "must be a boolean"
    if isinstance(default, int):
        return None if isinstance(value, int) and not isinstance(value, bool) else "must be an integer"
    if isinstance(default, float):
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else "must be a number"
    if isinstance(default, str):
        return None if isinstance(value, str) else "must be a string"
    if isinstance(default, list):
        return None if isinstance(value, list) else "must be an array"
    if isinstance(default, dict):
        return None if isinstance(value, dict) else "must be an object"
    return None


class Parent:
    """A path parameter naming a parent record: ``param`` in the path, the ``table`` holding it,
    the child's field (``key``) that stores its id, and for a second-level parent the field of
    this parent that names the level above (``up``)."""

    def __init__(self, param: str, table: str, key: str, noun: str, up: Optional[str] = None):
        self.param, self.table, self.key, self.noun, self.up = param, table, key, noun, up
        # finds the parent when it may be a derived record (a collection's ``lookup``)
        self.lookup: Optional[Callable[[Any, int], Optional[Record]]] = None


Hook = Callable[[Any, Record, Record], None]


class StandIn:
    """The derived record a collection shows for each record of ``table`` (named by the child's
    field ``key``) that has no record of its own: id ``offset + source id``; ``mirror`` maps
    collection fields onto the source record's keys (read and written there, in the source's
    stored form); ``fixed`` values are always shown and cannot be changed; the other fields are
    kept in the collection's side table. ``written(state, source)`` runs after a write changed the
    source (to settle its derived values); ``noun`` and ``owner`` name it and its source in errors."""

    def __init__(
        self,
        table: str,
        key: str,
        offset: int,
        mirror: Dict[str, str],
        *,
        fixed: Optional[Dict[str, Any]] = None,
        written: Optional[Callable[[Any, Record], None]] = None,
        noun: str = "stand-in record",
        owner: str = "source record",
    ) -> None:
        self.table, self.key, self.offset, self.mirror = table, key, offset, mirror
        self.fixed = fixed or {}
        self.written, self.noun, self.owner = written, noun, owner
        self.source = BY_NAME.get(table)

    def owns(self, rid: int) -> bool:
        return rid > self.offset

    def record(self, source: Record) -> Record:
        """The stand-in of a source record, as the engine passes records around."""
        return {"id": self.offset + source["id"], self.key: source["id"]}

    def read(self, state: Any, rec: Record, defaults: Dict[str, Any]) -> Record:
        """The mirrored fields' values (v3 form) of a stand-in record."""
        src = table_of(state, self.table).get(rec[self.key], {})
        decimals = self.source.decimals if self.source is not None else ()
        out: Record = {}
        for field, key in self.mirror.items():
            value = src.get(key)
            if key in decimals and isinstance(value, str):
                value = float(Decimal(value)) if value else defaults.get(field)
            elif value is None:
                value = copy.deepcopy(defaults.get(field))
            out[field] = value
        return out

    def check(self, values: Record) -> None:
        """422 naming each value a stand-in cannot take (a fixed field changed, a mirrored one
        emptied), before any other check."""
        errors = {
            f: f"is always {v!r} for a {self.noun}" for f, v in self.fixed.items() if f in values and values[f] != v
        }
        errors.update(
            {f: f"mirrors the {self.owner}'s value: give one" for f in self.mirror if f in values and values[f] is None}
        )
        if errors:
            raise invalid(errors)

    def write(self, state: Any, rec: Record, values: Record, side: Record) -> None:
        """Apply checked v3 values: mirrored ones to the source, the others to ``side``; 409
        when a mirrored value the source keeps unique is another source record's."""
        table = table_of(state, self.table)
        src = table[rec[self.key]]
        for field in values:
            key = self.mirror.get(field)
            if key is not None and self.source is not None and key in self.source.unique and values[field]:
                wanted = str(values[field]).lower()
                other = next((o for o in table.values() if o is not src and str(o.get(key)).lower() == wanted), None)
                if other is not None:
                    raise ItemError(409, f"The {self.noun} is a duplicate", {field: f"already used by {other['id']}"})
        decimals = self.source.decimals if self.source is not None else ()
        for field, value in values.items():
            key = self.mirror.get(field)
            if key is None:
                if field not in self.fixed:
                    side[field] = copy.deepcopy(value)
            else:
                src[key] = decimal4(value, field) if key in decimals else value
        if self.written is not None and any(f in self.mirror for f in values):
            self.written(state, src)


class Collection:
    """The declaration of one v3 collection (see the module docstring)."""

    def __init__(
        self,
        name: str,
        path: str,
        table: str,
        fields: Dict[str, Any],
        *,
        parents: Sequence[Parent] = (),
        required: Iterable[str] = (),
        readonly: Iterable[str] = (),
        enums: Optional[Dict[str, Sequence[Any]]] = None,
        store: Optional[Dict[str, str]] = None,
        ops: str = "list get create update delete",
        batch: int = 0,
        cursor: bool = False,
        unique: Sequence[str] = (),
        owner: Optional[Tuple[str, str]] = None,
        item: Optional[str] = None,
        render: Optional[Hook] = None,
        prepare: Optional[Callable[[Any, Record, Optional[Record]], None]] = None,
        created: int = 200,
        noun: str = "record",
        hide_id: bool = False,
        defaults: Optional[Callable[[Any, Record], None]] = None,
        delete_body: bool = False,
        upload: Optional[str] = None,
        wrap_one: bool = False,
        batch_errors: bool = False,
        v2_values: Optional[Dict[str, Dict[Any, Any]]] = None,
        stand_in: Optional[StandIn] = None,
    ) -> None:
        self.name, self.path, self.table, self.fields = name, path, table, fields
        self.parents = list(parents)
        self.required = tuple(required)
        self.readonly = frozenset(("id",) + tuple(readonly) + tuple(p.key for p in self.parents))
        self.enums = enums or {}
        self.store = store or {}
        self.ops = frozenset(ops.split())
        self.batch, self.cursor, self.unique, self.owner = batch, cursor, tuple(unique), owner
        # finds the owner when it may be a derived record (a collection's ``lookup``)
        self.owner_lookup: Optional[Callable[[Any, int], Optional[Record]]] = None
        self.item = item or path + "/{rid}"
        self.render_hook, self.prepare, self.defaults = render, prepare, defaults
        self.created, self.noun, self.hide_id, self.delete_body = created, noun, hide_id, delete_body
        self.v2 = BY_NAME.get(table)
        self.upload = upload  # the field a multipart upload's file name goes to
        self.wrap_one = wrap_one  # single writes answer ``data: [record]`` (as documented)
        # a refused batch answers ``{data: [], errors: [error objects], meta}`` (metafield batches)
        self.batch_errors = batch_errors
        # fields whose v2 record spells values otherwise (v3 value -> v2 value), e.g. review status
        self.v2_values = v2_values or {}
        self.v3_values = {f: {v2: v3 for v3, v2 in codes.items()} for f, codes in self.v2_values.items()}
        self.stand_in = stand_in  # a derived record per source record that has none of its own

    # -- records -----------------------------------------------------------------------------
    def extra(self, state: Any) -> Table:
        return table_of(state, f"v3/extra/{self.table}")

    def render(self, state: Any, rec: Record) -> Record:
        """The record as v3 shows it."""
        extra = self.extra(state).get(rec["id"], {}) if self.v2 is not None else {}
        standing = self.stand_in is not None and self.stand_in.owns(rec["id"])
        if standing:
            assert self.stand_in is not None
            extra = {**extra, **self.stand_in.read(state, rec, self.fields)}
        out: Record = {}
        for field, default in self.fields.items():
            key = self.store.get(field, field)
            if field in extra:
                value = extra[field]
            elif key in rec:
                value = rec[key]
                if self.v2 is not None:
                    value = self._from_v2(key, value, default)
            else:
                value = copy.deepcopy(default)
            out[field] = value
        if self.render_hook is not None:
            self.render_hook(state, rec, out)
        if standing:
            assert self.stand_in is not None
            out.update(copy.deepcopy(self.stand_in.fixed))
        if self.hide_id:
            out.pop("id", None)
        return out

    def _from_v2(self, key: str, value: Any, default: Any) -> Any:
        assert self.v2 is not None
        if key in self.v2.decimals and isinstance(value, str):
            return float(Decimal(value)) if value else default
        if key in self.v2.dates and isinstance(value, str):
            return iso_date(value)
        for field, codes in self.v3_values.items():
            if self.store.get(field, field) == key:
                return codes.get(value, value)
        if value is None and default is not None:
            return copy.deepcopy(default)
        return value

    def check(self, state: Any, data: Any, creating: bool) -> Record:
        """The v3 values of a request object, checked; ItemError naming every bad field."""
        if not isinstance(data, dict):
            raise invalid({"body": "must be an object"})
        errors: Dict[str, str] = {}
        values: Record = {}
        for field, value in data.items():
            if field not in self.fields:
                errors[field] = "is not a field the sandbox emulates for this resource"
            elif field in self.readonly:
                continue
            else:
                why = kind_error(self.fields[field], value)
                if why is None and field in self.enums and value not in self.enums[field]:
                    why = "must be one of: " + ", ".join(str(v) for v in self.enums[field])
                if why:
                    errors[field] = why
                else:
                    values[field] = value
        if creating:
            for field in self.required:
                if data.get(field) in (None, "") and field not in errors:
                    errors[field] = "error.path.missing"
        if errors:
            raise invalid(errors)
        return values

    def rows(self, state: Any, ids: Dict[str, int]) -> List[Record]:
        """The records under the parents named by ``ids`` (all of them when there are none)."""
        table = table_of(state, self.table)
        if not self.parents:
            rows = list(table.values())
            if self.stand_in is not None:
                sources = table_of(state, self.stand_in.table).values()
                rows += [self.stand_in.record(src) for src in sources if not self.has_own(state, src["id"])]
            return rows
        last = self.parents[-1]
        pid = ids[last.param]
        if self.v2 is not None and self.v2.parent_key == last.key:
            rows = list(state.iter_rows(self.v2, pid))  # the store's parent index: no scan
        else:
            rows = [rec for rec in table.values() if rec.get(last.key) == pid]
        if not rows and self.stand_in is not None and pid in table_of(state, self.stand_in.table):
            rows = [self.stand_in.record(table_of(state, self.stand_in.table)[pid])]
        return rows

    def has_own(self, state: Any, source_id: int) -> bool:
        """Whether the stand-in's source record has records of its own in this collection."""
        assert self.stand_in is not None
        key = self.stand_in.key
        if self.v2 is not None and self.v2.parent_key == key:
            return bool(state.size(self.v2, source_id) > 0)
        return any(rec.get(key) == source_id for rec in table_of(state, self.table).values())

    def stand_in_id(self, state: Any, source_id: int) -> Optional[int]:
        """The id of the source record's stand-in, None when it has records of its own."""
        if self.stand_in is None or self.has_own(state, source_id):
            return None
        return self.stand_in.offset + source_id

    def lookup(self, state: Any, rid: int) -> Optional[Record]:
        """The record with id ``rid``, a stand-in included; None when there is none."""
        rec: Optional[Record] = table_of(state, self.table).get(rid)
        if rec is None and self.stand_in is not None and self.stand_in.owns(rid):
            source = table_of(state, self.stand_in.table).get(rid - self.stand_in.offset)
            if source is not None and not self.has_own(state, source["id"]):
                rec = self.stand_in.record(source)
        return rec

    def value(self, state: Any, rec: Record, field: str) -> Any:
        """One field of a record as v3 shows it, without rendering the others."""
        if self.stand_in is not None and self.stand_in.owns(rec["id"]):
            if field in self.stand_in.mirror:
                return self.stand_in.read(state, rec, self.fields)[field]
            if field == self.stand_in.key:
                return rec[field]
        return self.render(state, rec)[field]

    def set_stored(self, state: Any, rec: Record, key: str, value: Any) -> None:
        """Set one stored key of a record (a stand-in keeps it in the side table, by field name)."""
        if self.stand_in is not None and self.stand_in.owns(rec["id"]):
            field = next((f for f, k in self.store.items() if k == key), key)
            self.extra(state).setdefault(rec["id"], {})[field] = value
        else:
            rec[key] = value

    def forget_stand_in(self, state: Any, source_id: int) -> None:
        """Drop what a deleted source record's stand-in kept in the side table."""
        if self.stand_in is not None:
            self.extra(state).pop(self.stand_in.offset + source_id, None)

    def resolve_parents(self, state: Any, ids: Dict[str, int]) -> None:
        previous: Optional[int] = None
        for parent in self.parents:
            pid = ids[parent.param]
            rec = parent.lookup(state, pid) if parent.lookup is not None else table_of(state, parent.table).get(pid)
            if rec is None or (parent.up is not None and rec.get(parent.up) != previous):
                raise v3_error(
                    404, f"The {parent.noun} was not found", {parent.param: f"no {parent.noun} with id {pid}"}
                )
            previous = pid

    def find(self, state: Any, ids: Dict[str, int], rid: int) -> Record:
        self.resolve_parents(state, ids)
        rec = self.lookup(state, rid)
        if rec is None or (self.parents and rec.get(self.parents[-1].key) != ids[self.parents[-1].param]):
            raise v3_error(404, f"The {self.noun} was not found", {"id": f"no {self.noun} with id {rid}"})
        return rec

    def write(self, state: Any, values: Record, rec: Optional[Record], ids: Dict[str, int]) -> Record:
        """Create (``rec`` None) or update a record from checked v3 values."""
        if self.owner is not None and rec is None:
            field, owner_table = self.owner
            oid = values.get(field)
            found = (
                self.owner_lookup(state, oid) is not None
                if self.owner_lookup is not None and isinstance(oid, int)
                else oid in table_of(state, owner_table)
            )
            if not found:
                raise ItemError(404, f"The {self.noun}'s owner was not found", {field: f"no record with id {oid}"})
        standing = rec is not None and self.stand_in is not None and self.stand_in.owns(rec["id"])
        if standing and self.stand_in is not None:
            self.stand_in.check(values)
        if self.prepare is not None:
            self.prepare(state, values, rec)
        self._check_unique(state, values, rec, ids)
        if standing and rec is not None and self.stand_in is not None:
            known = {f: v for f, v in values.items() if f in self.fields}
            self.stand_in.write(state, rec, known, self.extra(state).setdefault(rec["id"], {}))
            return rec
        stamp = now_iso()
        if rec is None:
            parents = {p.key: ids[p.param] for p in self.parents}
            if self.v2 is not None:
                stored, extra = self._to_v2(values)
                stored.update(parents)
                rec = state.insert(self.v2, stored, time.time())
                assert rec is not None
                self.extra(state)[rec["id"]] = extra
            else:
                rid = next_id(state, self.table)
                rec = {f: copy.deepcopy(d) for f, d in self.fields.items()}
                rec.update(values)
                rec.update(parents)
                rec["id"] = rid
                for field in ("date_created", "date_modified"):
                    if field in self.fields:
                        rec[field] = stamp
                table_of(state, self.table)[rid] = rec
            if self.defaults is not None:
                self.defaults(state, rec)
            return rec
        if self.v2 is not None:
            stored, extra = self._to_v2(values)
            rec.update(stored)
            self.extra(state).setdefault(rec["id"], {}).update(extra)
            if "date_modified" in self.v2.fields:
                rec["date_modified"] = now_rfc()
        else:
            rec.update(values)
            if "date_modified" in self.fields:
                rec["date_modified"] = stamp
        return rec

    def _to_v2(self, values: Record) -> Tuple[Record, Record]:
        assert self.v2 is not None
        stored: Record = {}
        extra: Record = {}
        for field, value in values.items():
            key = self.store.get(field, field)
            if key in self.v2.fields and key not in self.v2.links:
                if key in self.v2.decimals:
                    stored[key] = None if value is None else decimal4(value, field)
                elif key in self.v2.dates:
                    extra[field] = value
                else:
                    codes = self.v2_values.get(field)
                    stored[key] = codes.get(value, value) if codes is not None else value
            else:
                extra[field] = value
        return stored, extra

    def _check_unique(self, state: Any, values: Record, rec: Optional[Record], ids: Dict[str, int]) -> None:
        """409 when another record has the same ``unique`` fields (compared as stored, so no
        record is rendered); nothing to check on an update that changes none of them."""
        if not self.unique or (rec is not None and not any(f in values for f in self.unique)):
            return
        keys = [self.store.get(f, f) for f in self.unique]
        mine = {key: rec.get(key) for key in keys} if rec is not None else {}
        mine.update({self.store.get(f, f): v for f, v in values.items()})
        if rec is None:
            mine.update({p.key: ids[p.param] for p in self.parents if p.param in ids})
        wanted = tuple(mine.get(key) for key in keys)
        for other in table_of(state, self.table).values():
            if rec is not None and other["id"] == rec["id"]:
                continue
            if tuple(other.get(key) for key in keys) == wanted:
                raise ItemError(
                    409,
                    f"The {self.noun} is a duplicate",
                    {self.unique[-1]: f"already used by {self.noun} {other['id']}"},
                )

    def delete(self, state: Any, rec: Record) -> None:
        if self.stand_in is not None and self.stand_in.owns(rec["id"]):
            noun = self.stand_in.noun
            owner = self.stand_in.owner
            raise v3_error(
                422, f"A {noun} cannot be deleted", {"id": f"a {noun} goes with its {owner}: delete the {owner}"}
            )
        if self.v2 is not None:
            state.delete_cascade(self.v2, rec["id"])
            self.extra(state).pop(rec["id"], None)
        else:
            table_of(state, self.table).pop(rec["id"], None)


# -- queries ----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).lower()


def _number(text: str) -> Any:
    try:
        return Decimal(text)
    except ArithmeticError:
        return text.lower()


def _compare(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    return _text(value)


def filter_rows(rows: List[Record], query: Dict[str, str], fields: Dict[str, Any]) -> List[Record]:
    """Rows matching every filter of ``query`` over the *rendered* fields: ``f``, ``f:in``,
    ``f:not_in``, ``f:like``, ``f:min``, ``f:max``, ``f:greater``, ``f:less``. Parameters naming
    no field are ignored, as the real API ignores them."""
    tests: List[Callable[[Record], bool]] = []
    for param, text in query.items():
        if param in CONTROL:
            continue
        field, _, op = param.partition(":")
        if field not in fields:
            continue
        parts = {part.strip().lower() for part in text.split(",")}
        bound = _number(text)

        def test(
            rec: Record, f: str = field, o: str = op, p: Set[str] = parts, b: Any = bound, t: str = text.lower()
        ) -> bool:
            value = rec.get(f)
            if isinstance(value, list):
                texts = {_text(v) for v in value}
                return bool(texts & p) if o in ("", "in") else not texts & p
            if o == "":
                return _text(value) in p if f == "id" else _text(value) == t
            if o == "in":
                return _text(value) in p
            if o == "not_in":
                return _text(value) not in p
            if o == "like":
                return t.strip("%") in _text(value)
            try:
                left = _compare(value)
                if o == "min":
                    return bool(left >= b)
                if o == "max":
                    return bool(left <= b)
                if o == "greater":
                    return bool(left > b)
                if o == "less":
                    return bool(left < b)
            except TypeError:
                return False
            return True

        tests.append(test)
    return [rec for rec in rows if all(test(rec) for test in tests)]


def shape(items: List[Record], query: Dict[str, str]) -> List[Record]:
    """``include_fields`` / ``exclude_fields`` applied (``id`` always stays)."""
    wanted = query.get("include_fields")
    unwanted = query.get("exclude_fields")
    if wanted:
        keep = {name.strip() for name in wanted.split(",")} | {"id"}
        items = [{k: v for k, v in item.items() if k in keep} for item in items]
    if unwanted:
        drop = {name.strip() for name in unwanted.split(",")} - {"id"}
        items = [{k: v for k, v in item.items() if k not in drop} for item in items]
    return items


def sort_rows(rows: List[Record], query: Dict[str, str], fields: Dict[str, Any]) -> List[Record]:
    field = query.get("sort")
    if field and ":" in field:
        field, _, direction = field.partition(":")
    else:
        direction = query.get("direction", "asc")
    descending = direction.lower() == "desc"
    if not field or field not in fields:
        return sorted(rows, key=lambda r: r.get("id", 0), reverse=descending)
    return sorted(rows, key=lambda r: (_compare(r.get(field)), r.get("id", 0)), reverse=descending)


def ids_of(match: Any) -> Dict[str, int]:
    return {k: int(v) for k, v in match.groupdict().items() if v is not None and v.isdigit()}


def is_multipart(call: Any) -> bool:
    """Whether the request body is a ``multipart/form-data`` upload."""
    return str(call.headers.get("Content-Type") or "").lower().startswith("multipart/")


def read_body(call: Any, col: Collection) -> Any:
    """The request's JSON, or for a collection taking uploads a multipart form as an object
    (text parts as strings, the file part's name as ``col.upload``)."""
    if col.upload and is_multipart(call):
        form: Record = {}
        for part in call.body.split(b"\r\n--"):
            head, _, value = part.partition(b"\r\n\r\n")
            name = re.search(rb'name="([^"]+)"', head)
            if name is None:
                continue
            filename = re.search(rb'filename="([^"]*)"', head)
            if filename is not None:
                form[col.upload] = filename.group(1).decode("utf-8", "replace")
            else:
                text = value.decode("utf-8", "replace").rstrip("\r\n")
                # form parts are text: numbers and true/false are read as such
                form[name.group(1).decode()] = (
                    int(text) if text.isdigit() else text == "true" if text in ("true", "false") else text
                )
        return form
    return call.json()


def required_list(data: Any, field: str) -> List[Any]:
    """``data[field]``, which must be a non-empty array; 422 naming the field otherwise."""
    value = data.get(field) if isinstance(data, dict) else None
    if not isinstance(value, list) or not value:
        raise v3_error(422, "JSON data is missing or invalid", {field: "error.path.missing"})
    return value


def one_error(exc: ItemError) -> ApiError:
    return v3_error(exc.status, exc.title, exc.errors)


# -- handlers ---------------------------------------------------------------------------------


def list_handler(col: Collection) -> Handler:
    def handle(call: Any, match: Any) -> Reply:
        ids = ids_of(match)
        with call.core.lock:
            state = call.core.state
            col.resolve_parents(state, ids)
            rendered = [col.render(state, rec) | {"id": rec["id"]} for rec in col.rows(state, ids)]
            rows = sort_rows(filter_rows(rendered, call.query, col.fields), call.query, col.fields)
            chunk, meta = (cursor_page_of if col.cursor else page_of)(rows, call.query)
            if col.hide_id:
                for item in chunk:
                    item.pop("id", None)
            return Reply(200, {"data": shape(chunk, call.query), "meta": meta})

    return handle


def get_handler(col: Collection) -> Handler:
    def handle(call: Any, match: Any) -> Reply:
        ids = ids_of(match)
        with call.core.lock:
            state = call.core.state
            rec = col.find(state, ids, ids["rid"])
            return Reply(200, envelope(shape([col.render(state, rec)], call.query)[0]))

    return handle


def create_handler(col: Collection) -> Handler:
    def handle(call: Any, match: Any) -> Reply:
        ids = ids_of(match)
        data = read_body(call, col)
        if isinstance(data, list) and col.batch:
            return _batch_create(col, call, ids)
        if "create" not in col.ops:
            raise v3_error(
                422, "JSON data is missing or invalid", {"body": f"must be a non-empty array of {col.noun}s"}
            )
        with call.core.lock:
            state = call.core.state
            col.resolve_parents(state, ids)
            try:
                rec = col.write(state, col.check(state, data, creating=True), None, ids)
            except ItemError as exc:
                raise one_error(exc) from None
            shown = col.render(state, rec)
            return Reply(col.created, envelope([shown] if col.wrap_one else shown), mutated=True)

    return handle


def _batch_create(col: Collection, call: Any, ids: Dict[str, int]) -> Reply:
    items = body_list(call, col.batch, f"{col.noun}s")
    with call.core.lock:
        state = call.core.state
        col.resolve_parents(state, ids)
        results: List[Tuple[Optional[Record], Optional[Record]]] = []
        for index, item in enumerate(items):
            try:
                rec = col.write(state, col.check(state, item, creating=True), None, ids)
            except ItemError as exc:
                results.append((None, exc.keyed(index)))
                continue
            results.append((col.render(state, rec), None))
        reply: Reply = mixed_answer(results)
        if col.created != 200 and reply.status == 200:
            reply.status = col.created
        return reply


def update_handler(col: Collection) -> Handler:
    def handle(call: Any, match: Any) -> Reply:
        ids = ids_of(match)
        data = read_body(call, col)
        with call.core.lock:
            state = call.core.state
            rec = col.find(state, ids, ids["rid"])
            try:
                col.write(state, col.check(state, data, creating=False), rec, ids)
            except ItemError as exc:
                raise one_error(exc) from None
            shown = col.render(state, rec)
            return Reply(200, envelope([shown] if col.wrap_one else shown), mutated=True)

    return handle


def batch_update_handler(col: Collection) -> Handler:
    def handle(call: Any, match: Any) -> Reply:
        ids = ids_of(match)
        items = body_list(call, col.batch, f"{col.noun}s")
        with call.core.lock:
            state = call.core.state
            col.resolve_parents(state, ids)
            results: List[Tuple[Optional[Record], Optional[Record]]] = []
            for index, item in enumerate(items):
                try:
                    rid = item.get("id") if isinstance(item, dict) else None
                    if isinstance(rid, bool) or not isinstance(rid, int):
                        raise invalid({"id": "error.path.missing"})
                    rec = col.lookup(state, rid)
                    if rec is None:
                        raise ItemError(404, f"The {col.noun} was not found", {"id": f"no {col.noun} with id {rid}"})
                    col.write(state, col.check(state, item, creating=False), rec, ids)
                except ItemError as exc:
                    results.append((None, exc.keyed(index)))
                    continue
                results.append((col.render(state, rec), None))
            reply: Reply = mixed_answer(results)
            return reply

    return handle


def delete_handler(col: Collection) -> Handler:
    def handle(call: Any, match: Any) -> Reply:
        ids = ids_of(match)
        with call.core.lock:
            state = call.core.state
            col.delete(state, col.find(state, ids, ids["rid"]))
        return Reply(204, mutated=True)

    return handle


def batch_delete_handler(col: Collection) -> Handler:
    """``DELETE`` on the collection: by filters (``id:in``...) -> 204, or, for collections whose
    reference documents a body of ids (metafields), by that list -> 200 with the ids deleted."""

    def handle(call: Any, match: Any) -> Reply:
        ids = ids_of(match)
        if col.delete_body:
            text = call.query.get("id:in")
            wanted: List[Any] = (
                id_list(text, "id:in") if text and not call.body.strip() else body_list(call, col.batch or 250, "ids")
            )
            with call.core.lock:
                state = call.core.state
                table = table_of(state, col.table)
                results: List[Tuple[Optional[Any], Optional[Record]]] = []
                for index, rid in enumerate(wanted):
                    rec = table.get(rid) if isinstance(rid, int) else None
                    if rec is None:
                        results.append(
                            (
                                None,
                                error_object(
                                    404, f"The {col.noun} was not found", {f"{index}.id": f"no {col.noun} {rid}"}
                                ),
                            )
                        )
                    else:
                        col.delete(state, rec)
                        results.append((rid, None))
                applied = [rid for rid, _ in results if rid is not None]
                errors = [err for _, err in results if err is not None]
                return Reply(
                    200,
                    {
                        "data": applied,
                        "errors": errors,
                        "meta": {"total": len(results), "success": len(applied), "failed": len(errors)},
                    },
                    mutated=True,
                )
        filters = {k: v for k, v in call.query.items() if k not in CONTROL}
        if not filters:
            raise v3_error(422, "A filter is required", {"id:in": f"name the {col.noun}s to delete, e.g. id:in=1,2,3"})
        unknown = [k for k in filters if k.partition(":")[0] not in col.fields]
        if unknown:  # a misspelt filter must not widen a delete to every record
            raise v3_error(422, "Invalid query parameter", {unknown[0]: f"is not a filter of {col.noun}s"})
        with call.core.lock:
            state = call.core.state
            col.resolve_parents(state, ids)
            records = col.rows(state, ids)
            shown = [col.render(state, rec) | {"id": rec["id"]} for rec in records]
            doomed = {row["id"] for row in filter_rows(shown, filters, col.fields)}
            for rec in records:
                if rec["id"] in doomed:
                    col.delete(state, rec)
        return Reply(204, mutated=True)

    return handle


def batch_refusal(handler: Handler) -> Handler:
    """A batch handler whose refusals answer in the batch shape: ``{"data": [], "errors":
    [{status, title, type, errors}], "meta": {total, success, failed}}``."""

    def handle(call: Any, match: Any) -> Reply:
        try:
            return handler(call, match)
        except ApiError as exc:
            if exc.status != 422 or not isinstance(exc.body, dict):
                raise
            failed = len(exc.body.get("errors") or {}) or 1
            return Reply(
                422, {"data": [], "errors": [exc.body], "meta": {"total": failed, "success": 0, "failed": failed}}
            )

    return handle


def routes_of(col: Collection) -> List[Route]:
    """The (method, regex, handler) routes of a collection, item routes first."""
    out: List[Route] = []
    wrap = batch_refusal if col.batch_errors else (lambda handler: handler)
    item, base = path_regex(col.item), path_regex(col.path)
    if "get" in col.ops:
        out.append(("GET", item, get_handler(col)))
    if "update" in col.ops:
        out.append(("PUT", item, update_handler(col)))
    if "delete" in col.ops:
        out.append(("DELETE", item, delete_handler(col)))
    if "list" in col.ops:
        out.append(("GET", base, list_handler(col)))
    if "create" in col.ops or "batch_create" in col.ops:
        out.append(("POST", base, wrap(create_handler(col))))
    if "batch_update" in col.ops:
        out.append(("PUT", base, wrap(batch_update_handler(col))))
    if "batch_delete" in col.ops:
        out.append(("DELETE", base, wrap(batch_delete_handler(col))))
    return out


def singleton_handlers(key: str, defaults: Dict[str, Any]) -> Tuple[Handler, Handler]:
    """GET and PUT of a settings object kept in ``v3/settings`` under ``key`` (a path parameter
    ``channel_id`` makes one object per channel). PUT accepts only the documented fields."""

    def stored(call: Any, match: Any) -> Record:
        table = table_of(call.core.state, "v3/settings")
        name = key + ":" + ":".join(match.groups())
        rid = zlib.crc32(name.encode())  # a stable id per settings object
        rec = table.get(rid)
        if rec is None:
            rec = table[rid] = {"id": rid, "value": copy.deepcopy(defaults)}
        value: Record = rec["value"]
        return value

    def get(call: Any, match: Any) -> Reply:
        with call.core.lock:
            return Reply(200, envelope(copy.deepcopy(stored(call, match))))

    def put(call: Any, match: Any) -> Reply:
        data = body_object(call)
        errors = {field: "is not a setting the sandbox emulates" for field in data if field not in defaults}
        errors.update(
            {
                field: why
                for field, value in data.items()
                if field in defaults
                for why in [kind_error(defaults[field], value)]
                if why
            }
        )
        if errors:
            raise v3_error(422, "JSON data is missing or invalid", errors)
        with call.core.lock:
            value = stored(call, match)
            value.update(copy.deepcopy(data))
            return Reply(200, envelope(copy.deepcopy(value)), mutated=True)

    return get, put
