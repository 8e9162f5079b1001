"""The v3 path client: the v3 REST API of a store by path, over the same transport as v2.

``api.v3`` is a :class:`bigcommerce.v3.V3Client` (this :class:`PathClient` plus the resource tables)
built on the api's :class:`~bigcommerce.connection.OAuthConnection`,
so every v3 call gets the transport's retries, 429 waiting, redaction and host checks::

    api.v3.get("catalog/products/12")                         # {"data": {...}, "meta": {}}
    for product in api.v3.iterall("catalog/products", **{"id:in": [1, 2, 3]}):
        ...
    api.v3.batch_update("catalog/products", [{"id": 1, "price": 9.5}, ...])   # 10 per request

Paths are relative to ``{host}/stores/{store_hash}/v3/`` (``"catalog/products"``, ``"/v3/customers"`` and
``"/stores/{hash}/v3/customers"`` all work); absolute URLs are accepted only on the API origin.

What the v3 API answers, and what the caller gets:

* 2xx: the parsed JSON body (the ``{"data": ..., "meta": ...}`` envelope), ``None`` for a 204;
* **207 Multi-Status** (a batch of which some items failed): :class:`PartialSuccess` is *raised*.
  It carries the items that were applied (``.data``) and the error objects of the others
  (``.errors``), so a partial failure can neither pass for a success nor lose what succeeded;
* 4xx/5xx: the exception of :func:`bigcommerce.exception.status_to_exception`, whose message is built
  from the v3 error body ``{status, title, type, errors}`` (the ``title`` and each field error);
  the parsed body stays in ``.errors``.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Deque, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import parse_qsl, urljoin, urlsplit

if TYPE_CHECKING:
    from typing_extensions import TypeGuard

from bigcommerce.exception import HttpException, InvalidResponseException, PartialSuccess, v3_summary
from bigcommerce.resources.base import check_concurrency

__all__ = [
    "PathClient",
    "PartialSuccess",
    "v3_error_message",
    "BATCH_LIMITS",
    "DEFAULT_BATCH_SIZE",
    "DELETE_BATCH_SIZE",
]

#: Items per request of the batch helpers, for endpoints whose limit is known (path -> size): filled
#: from the resource tables (``Table.batch_size``) when :mod:`bigcommerce.v3` is imported, which
#: importing this module always does first. Others get :data:`DEFAULT_BATCH_SIZE`; pass ``chunk_size=``.
BATCH_LIMITS: Dict[str, int] = {}
#: Items per request for a batch endpoint not in :data:`BATCH_LIMITS`: the smallest common limit.
DEFAULT_BATCH_SIZE = 10
#: Ids per ``DELETE ...?id:in=...`` request (keeps the URL short).
DELETE_BATCH_SIZE = 50

# Error statuses after which a batch helper goes on with its next chunk: the refusal concerned the
# content of that chunk only. Anything else (auth, scope, rate limit, server, network) stops it.
_CHUNK_REFUSALS = frozenset({400, 409, 413, 422})


def v3_error_message(body: Any) -> Optional[str]:
    """A one-line description of a v3 error body, or ``None`` when ``body`` is not one.

    ``{"status": 422, "title": "JSON data is missing or invalid", "errors": {"price": "must be a
    number"}}`` gives ``"JSON data is missing or invalid (price: must be a number)"``. ``errors`` may be
    an object (field -> message) or a list; a ``detail`` is used when there are no field errors.
    The wording is :func:`bigcommerce.exception.v3_summary`'s, the one error interpreter's.
    """
    if not isinstance(body, dict) or not isinstance(body.get("title"), str):
        return None
    return v3_summary(body)


class PathClient:
    """The v3 REST API of one store, addressed by path. :class:`bigcommerce.v3.V3Client` adds the
    resources; build that one from an OAuth connection (``api.v3`` does)."""

    def __init__(self, connection: Any):
        store_root = getattr(connection, "store_root", None)
        if not store_root:
            raise TypeError(
                "the v3 API needs an OAuth connection (client_id, store_hash, access_token); "
                "Basic-auth stores only have v2"
            )
        self.connection = connection

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.root}>"

    @property
    def root(self) -> str:
        """``{host}/stores/{store_hash}/v3/``: what relative paths are resolved against."""
        return f"{self.connection.store_root}/v3/"

    def url(self, path: str) -> str:
        """The absolute URL for ``path`` (see the module docstring for the accepted forms)."""
        if not isinstance(path, str):
            raise TypeError("a v3 path must be a str such as 'catalog/products'")
        if "://" in path:
            return path  # the transport refuses any origin other than the API's
        if path.startswith("/stores/"):
            return f"{self.connection.host}{path}"
        path = path.lstrip("/")
        if path == "v3" or path.startswith("v3/"):
            path = path[3:]
        return self.root + path

    @staticmethod
    def _key(path: str) -> str:
        """``catalog/products`` for any spelling of the path (for :data:`BATCH_LIMITS`)."""
        tail = urlsplit(path).path
        marker = "/v3/"
        if marker in "/" + tail.lstrip("/"):
            tail = ("/" + tail.lstrip("/")).split(marker, 1)[1]
        return tail.strip("/")

    # -- single requests -----------------------------------------------------------------------

    def get(self, path: str, params: Optional[Mapping[str, Any]] = None, **query: Any) -> Any:
        """GET ``path``; returns the parsed body (``{"data": ..., "meta": ...}``).

        Filters go in ``params`` or as keywords (``**{"id:in": [1, 2]}`` for names that are not
        identifiers); lists are sent comma-joined and booleans as ``true``/``false``.
        """
        return self.request("GET", path, params=_merge(params, query))

    def post(self, path: str, data: Any = None, params: Optional[Mapping[str, Any]] = None) -> Any:
        """POST ``data`` (JSON) to ``path``; returns the parsed body. Raises :class:`PartialSuccess`
        on a 207."""
        return self.request("POST", path, data=data, params=params)

    def put(self, path: str, data: Any = None, params: Optional[Mapping[str, Any]] = None) -> Any:
        """PUT ``data`` (JSON) to ``path``; returns the parsed body. Raises :class:`PartialSuccess`
        on a 207."""
        return self.request("PUT", path, data=data, params=params)

    def delete(self, path: str, params: Optional[Mapping[str, Any]] = None, **query: Any) -> Any:
        """DELETE ``path`` (with filters such as ``**{"id:in": [4, 5]}``); ``None`` for a 204."""
        return self.request("DELETE", path, params=_merge(params, query))

    def request(
        self,
        method: str,
        path: str,
        data: Any = None,
        params: Optional[Mapping[str, Any]] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> Any:
        """Send one request through the connection's transport and interpret the v3 answer.

        ``data`` is sent as JSON (bytes as they are, with the ``Content-Type`` of ``headers``)."""
        return self._send(method, path, data, params, headers)[0]

    def _send(
        self,
        method: str,
        path: str,
        data: Any,
        params: Optional[Mapping[str, Any]],
        headers: Optional[Mapping[str, str]] = None,
    ) -> Tuple[Any, Any]:
        """(parsed body, response) of one request; raises as described in the module docstring.

        The one place where v3 answers are interpreted: every other method comes through here."""
        method = method.upper()
        url = self.url(path)
        response = self.connection.send(method, url, data=data, params=params, headers=headers)
        # 207s and v3 error objects are read by the one error interpreter (exception.from_response).
        return self.connection.handle_response(method, url, response, dialect="v3"), response

    # -- lists ---------------------------------------------------------------------------------

    def iterall(
        self,
        path: str,
        params: Optional[Mapping[str, Any]] = None,
        *,
        limit: Optional[int] = None,
        concurrency: int = 1,
        **filters: Any,
    ) -> Iterator[Any]:
        """Every item of a v3 list, page after page, fetched as the caller consumes them.

        Follows, in this order of preference:

        * cursor pagination: ``meta.cursor_pagination.links.next`` (``?after=...``);
        * ``meta.pagination.links.next`` when the answer gives it;
        * ``meta.pagination.current_page``/``total_pages``: the next ``page``.

        An answer that is a bare JSON array (a few endpoints send no envelope) is the whole list.

        Filters (``params`` and keywords) are kept on every page: a ``next`` link's query (which
        may hold only ``page``/``limit`` or a cursor) is laid over them. ``limit`` is the page size
        (the server's default when None). Stops at an empty page, at the last page, or if a link
        would fetch a page already fetched.

        With ``concurrency`` N > 1 and page pagination, once the first page has said how many pages
        there are (``meta.pagination.total_pages``), up to N of the others are in flight at once on
        the connection's transport; items still come out in order. Cursor pagination cannot be
        fetched ahead (each cursor comes with the page before), so it stays one page at a time.

        :raises InvalidResponseException: an answer that is not a ``{"data": [...]}`` list.
        :raises ValueError: ``concurrency`` below 1 or above the connection's ``pool_size``.
        """
        check_concurrency(concurrency, self.connection)
        query = _merge(params, filters)
        if limit is not None:
            query["limit"] = limit
        url = self.url(path)
        seen = set()
        while True:
            key = (urlsplit(url).path, tuple(sorted((k, str(v)) for k, v in query.items())))
            if key in seen:
                return
            seen.add(key)
            body, response = self._send("GET", url, None, query)
            if body is None:  # 204: nothing (more) to list
                return
            if isinstance(body, list):  # a bare array (stored instruments): the whole list at once
                yield from body
                return
            items = body.get("data") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise InvalidResponseException(
                    f"GET {urlsplit(url).path} -> {response.status_code}: not a v3 list (no 'data' array)", response
                )
            if not items:
                return
            yield from items
            following = _next_page(body.get("meta"), url, query)
            if following is None:
                return
            ahead = _pages_left(body.get("meta")) if concurrency > 1 else None
            if ahead is not None:
                yield from self._fetch_ahead(url, query, ahead, concurrency, len(items))
                return
            url, query = following

    def _fetch_ahead(
        self, url: str, query: Dict[str, Any], pages: Tuple[int, int, int], concurrency: int, first_size: int
    ) -> Iterator[Any]:
        """Items of pages ``first..last`` of a paged list, ``concurrency`` requests in flight, in order."""
        first, last, per_page = pages
        base = {k: v for k, v in query.items() if k not in ("page", "after", "before")}
        base.setdefault("limit", per_page or first_size)
        window: Deque["Future[Tuple[Any, Any]]"] = deque()
        number = first
        pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="bigcommerce-v3-page")
        try:
            while window or number <= last:
                while len(window) < concurrency and number <= last:
                    window.append(pool.submit(self._send, "GET", url, None, {**base, "page": number}))
                    number += 1
                body, response = window.popleft().result()
                items = body.get("data") if isinstance(body, dict) else None
                if not isinstance(items, list):
                    raise InvalidResponseException(
                        f"GET {urlsplit(url).path} -> {response.status_code}: not a v3 list (no 'data' array)", response
                    )
                if not items:
                    return  # the list shrank while it was read: nothing follows an empty page
                yield from items
        finally:
            for future in window:
                future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)

    def all(
        self, path: str, params: Optional[Mapping[str, Any]] = None, *, limit: Optional[int] = None, **filters: Any
    ) -> List[Any]:
        """``list(iterall(...))``."""
        return list(self.iterall(path, params, limit=limit, **filters))

    # -- batches -------------------------------------------------------------------------------

    def batch_create(self, path: str, items: Iterable[Any], chunk_size: Optional[int] = None) -> List[Any]:
        """POST ``items`` to a batch endpoint (``customers``...), ``chunk_size`` at a time.

        See :meth:`batch_update` for what is returned and raised.
        """
        return self._batch("POST", path, items, chunk_size)

    def batch_update(self, path: str, items: Iterable[Any], chunk_size: Optional[int] = None) -> List[Any]:
        """PUT ``items`` (each with its ``id``) to a batch endpoint, ``chunk_size`` at a time.

        ``chunk_size`` defaults to the endpoint's limit (:data:`BATCH_LIMITS`: 10 for
        ``catalog/products`` and ``customers``), else :data:`DEFAULT_BATCH_SIZE`. Chunks are sent in
        order, one request each.

        :returns: the objects the API returned for every item, in order (``data`` of each answer).
        :raises PartialSuccess: when some items were not applied: a chunk answered 207, or a chunk
            refused as a whole for its content (400, 409, 413, 422; the next chunks are still sent).
            ``.data`` holds what was applied, ``.errors`` what was not.
        :raises HttpException: (or a transport error) any other failure stops the run at once. If
            earlier chunks were applied it is wrapped in :class:`PartialSuccess` (``__cause__`` is the
            original, ``.unsent`` the items not sent); otherwise it is raised as it is.
        """
        return self._batch("PUT", path, items, chunk_size)

    def batch_delete(
        self, path: str, ids: Iterable[Any], chunk_size: Optional[int] = None, param: Optional[str] = "id:in"
    ) -> None:
        """DELETE ``path?id:in=...`` for ``ids``, ``chunk_size`` (default 50) ids per request.

        With ``param=None`` the ids go as a JSON array in the body instead (the metafield batches)."""
        ids = list(ids)
        size = _chunk_size(chunk_size, DELETE_BATCH_SIZE)
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            if param is None:
                self.request("DELETE", path, data=chunk)
            else:
                self.request("DELETE", path, params={param: chunk})

    def _batch(self, method: str, path: str, items: Iterable[Any], chunk_size: Optional[int]) -> List[Any]:
        items = list(items)
        size = _chunk_size(chunk_size, BATCH_LIMITS.get(self._key(path), DEFAULT_BATCH_SIZE))
        applied: List[Any] = []
        failures: List[Any] = []
        sent = 0
        last_partial: Optional[PartialSuccess] = None
        for start in range(0, len(items), size):
            chunk = items[start : start + size]
            try:
                body, _ = self._send(method, path, chunk, None)
            except PartialSuccess as partial:
                sent += len(chunk)
                applied.extend(partial.data)
                failures.extend(partial.errors)
                last_partial = partial
                continue
            except HttpException as exc:
                if exc.status_code in _CHUNK_REFUSALS:
                    sent += len(chunk)
                    failures.append(_chunk_failure(exc, chunk))
                    continue
                if applied or failures:
                    raise self._stopped(method, path, applied, failures, sent, items[start:], exc) from exc
                raise
            except Exception as exc:
                if applied or failures:
                    raise self._stopped(method, path, applied, failures, sent, items[start:], exc) from exc
                raise
            sent += len(chunk)
            data = body.get("data") if isinstance(body, dict) else None
            applied.extend(data if isinstance(data, list) else ([data] if data else []))  # {} is no item
        if failures:
            where = urlsplit(self.url(path)).path
            summary = _summary(failures)
            message = f"{method} {where} (batch of {len(items)}): {len(applied)} applied, {len(failures)} failed" + (
                f": {summary}" if summary else ""
            )
            response = last_partial.response if last_partial is not None else None
            raise PartialSuccess(self.connection.redact(message), response, applied, failures, _counts(sent, applied))
        return applied

    def _stopped(
        self,
        method: str,
        path: str,
        applied: List[Any],
        failures: List[Any],
        sent: int,
        unsent: List[Any],
        exc: BaseException,
    ) -> PartialSuccess:
        where = urlsplit(self.url(path)).path
        message = (
            f"{method} {where}: stopped by {type(exc).__name__} after {len(applied)} applied "
            f"and {len(failures)} failed; {len(unsent)} not sent"
        )
        # The failure itself travels as __cause__; status_code stays 207 (this is a partial success).
        return PartialSuccess(self.connection.redact(message), None, applied, failures, _counts(sent, applied), unsent)


# --------------------------------------------------------------------------------------------------


def _merge(params: Optional[Mapping[str, Any]], extra: Mapping[str, Any]) -> Dict[str, Any]:
    merged = dict(params or {})
    merged.update(extra)
    return merged


def _chunk_size(value: Optional[int], default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("chunk_size must be a whole number >= 1")
    return value


def _summary(errors: List[Any]) -> str:
    """The first three error objects of a partial success, described for its message."""
    return "; ".join(filter(None, (v3_error_message(e) for e in errors[:3])))


def _counts(sent: int, applied: List[Any]) -> Dict[str, int]:
    return {"total": sent, "success": len(applied), "failed": sent - len(applied)}


def _chunk_failure(exc: HttpException, chunk: Sequence[Any]) -> Dict[str, Any]:
    body = exc.errors if isinstance(exc.errors, dict) else {}
    failure = {
        "status": exc.status_code,
        "title": body.get("title") or exc.message,
        "type": body.get("type"),
        "errors": body.get("errors") or {},
    }
    failure["items"] = list(chunk)
    return failure


def _next_page(meta: Any, url: str, query: Dict[str, Any]) -> Optional[Tuple[str, Dict[str, Any]]]:
    """(url, query) of the page after this one, or None at the end (see :meth:`V3Client.iterall`)."""
    if not isinstance(meta, dict):
        return None
    cursor = meta.get("cursor_pagination")
    if isinstance(cursor, dict):
        links: Dict[str, Any] = cursor["links"] if isinstance(cursor.get("links"), dict) else {}
        link = links.get("next")
        if isinstance(link, str) and link:
            return _follow(link, url, query, cursor=True)
        end = cursor.get("end_cursor")
        if not links and isinstance(end, str) and end and _full(cursor):
            following = {k: v for k, v in query.items() if k not in ("page", "before")}
            following["after"] = end
            return url, following
        return None
    pages = meta.get("pagination")
    if not isinstance(pages, dict):
        return None
    current, total = pages.get("current_page"), pages.get("total_pages")
    if _is_int(current) and _is_int(total) and current >= total:
        return None
    links = pages["links"] if isinstance(pages.get("links"), dict) else {}
    link = links.get("next")
    if isinstance(link, str) and link:
        return _follow(link, url, query, cursor="after=" in link or "before=" in link)
    if _is_int(current) and _is_int(total):
        following = dict(query)
        following["page"] = current + 1
        return url, following
    return None


def _pages_left(meta: Any) -> Optional[Tuple[int, int, int]]:
    """(next page, last page, per_page) of a page-paginated answer with pages left, else None."""
    pages = meta.get("pagination") if isinstance(meta, dict) and "cursor_pagination" not in meta else None
    if not isinstance(pages, dict):
        return None
    current, total, per_page = pages.get("current_page"), pages.get("total_pages"), pages.get("per_page")
    if not (_is_int(current) and _is_int(total)) or current >= total:
        return None
    return current + 1, total, per_page if _is_int(per_page) else 0


def _full(cursor: Mapping[str, Any]) -> bool:
    count, per_page = cursor.get("count"), cursor.get("per_page")
    return _is_int(count) and _is_int(per_page) and count >= per_page > 0


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _follow(link: str, url: str, query: Dict[str, Any], cursor: bool) -> Tuple[str, Dict[str, Any]]:
    """A ``next`` link (``?page=2&limit=50``, a path or a URL) resolved against the current page,
    its query laid over the caller's filters."""
    target = urljoin(url, link)
    parts = urlsplit(target)
    following = dict(query)
    if cursor:
        following.pop("page", None)
        following.pop("before", None)
    following.update(parse_qsl(parts.query, keep_blank_values=True))
    base = target.split("?", 1)[0].split("#", 1)[0]
    return base, following
