"""v3 webhooks: ``/v3/hooks`` are the store's v2 hook records (one table), so a hook made in
either API is listed by both. ``scope`` must start with ``store/``, ``destination`` must be an
``https://`` URL (as BigCommerce requires). ``DELETE /hooks/{id}`` answers the deleted hook.
``/hooks/admin`` keeps the notification e-mails (the sandbox blocks no domain)."""

from __future__ import annotations

import time
from typing import Any, List, Optional

from ..routes import Reply
from ..schema import BY_NAME
from .engine import Collection, Record, Route, envelope, invalid, path_regex, routes_of, table_of
from .legacy import v3_error


def _hook_prepare(state: Any, values: Record, rec: Optional[Record]) -> None:
    scope = values.get("scope")
    if scope is not None and not scope.startswith("store/"):
        raise invalid({"scope": "must be a webhook scope such as store/order/*"})
    destination = values.get("destination")
    if destination is not None and not destination.startswith("https://"):
        raise invalid({"destination": "must be an https:// URL"})
    now = int(time.time())
    values["updated_at"] = now
    if rec is None:
        values["created_at"] = now


HOOKS = Collection(
    "webhooks",
    "/v3/hooks",
    "hooks",
    # v2 and v3 hooks are one record: the same fields, required and read-only ones
    dict(BY_NAME["hooks"].fields),
    required=BY_NAME["hooks"].required,
    readonly=BY_NAME["hooks"].readonly,
    prepare=_hook_prepare,
    ops="list get create update",
    noun="webhook",
)

_routes = routes_of(HOOKS)
_create = next(handler for method, regex, handler in _routes if method == "POST")


def create_hook(call: Any, match: Any) -> Reply:
    """Create, then stamp the hook with the app and the store it belongs to."""
    reply: Reply = _create(call, match)
    with call.core.lock:
        rec = call.core.state.tables["hooks"][reply.body["data"]["id"]]
        rec["client_id"] = call.headers.get("X-Auth-Client") or call.core.config.client_id
        rec["store_hash"] = call.core.config.store_hash
        reply.body = envelope(HOOKS.render(call.core.state, rec))
    return reply


def delete_hook(call: Any, match: Any) -> Reply:
    with call.core.lock:
        state = call.core.state
        rec = HOOKS.find(state, {}, int(match.group("rid")))
        shown = HOOKS.render(state, rec)
        HOOKS.delete(state, rec)
        return Reply(200, envelope(shown), mutated=True)


def _admin(state: Any) -> Record:
    table = table_of(state, "v3/hooks_admin")
    rec: Record = table.setdefault(1, {"id": 1, "emails": []})
    return rec


def get_admin(call: Any, match: Any) -> Reply:
    with call.core.lock:
        state = call.core.state
        hooks = [HOOKS.render(state, rec) for rec in state.tables["hooks"].values()]
        wanted = call.query.get("is_active")
        if wanted in ("true", "false"):
            hooks = [h for h in hooks if h["is_active"] is (wanted == "true")]
        return Reply(
            200,
            {
                "data": {"emails": list(_admin(state)["emails"]), "hooks_list": hooks, "blocked_domains": []},
                "meta": {
                    "pagination": {
                        "total": len(hooks),
                        "count": len(hooks),
                        "per_page": max(len(hooks), 1),
                        "current_page": 1,
                        "total_pages": 1,
                        "links": {},
                        "too_many": False,
                    }
                },
            },
        )


def put_admin(call: Any, match: Any) -> Reply:
    data = call.json()
    emails = data.get("emails") if isinstance(data, dict) else None
    if not isinstance(emails, list) or not all(isinstance(e, str) and "@" in e for e in emails):
        raise v3_error(422, "JSON data is missing or invalid", {"emails": "must be a list of e-mail addresses"})
    if isinstance(data, dict) and set(data) - {"emails"}:
        raise v3_error(
            422,
            "JSON data is missing or invalid",
            {sorted(set(data) - {"emails"})[0]: "is not a field the sandbox emulates"},
        )
    with call.core.lock:
        _admin(call.core.state)["emails"] = list(emails)
    return Reply(204, mutated=True)


ROUTES: List[Route] = [
    ("GET", path_regex("/v3/hooks/admin"), get_admin),
    ("PUT", path_regex("/v3/hooks/admin"), put_admin),
    ("POST", path_regex("/v3/hooks"), create_hook),
    ("DELETE", path_regex("/v3/hooks/{rid}"), delete_hook),
] + [route for route in _routes if route[0] != "POST"]
