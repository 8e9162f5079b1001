"""The store's GraphQL API, over the same transport as v2 and v3.

::

    data = api.graphql.query("{ site { settings { storeName } } }")
    for node in api.graphql.paginate(PRODUCTS_QUERY, {"first": 50}, path=("site", "products")):
        print(node["entityId"], node["name"])

A GraphQL server reports most problems in the body of an HTTP 200 answer (``{"data": ...,
"errors": [...]}``); :meth:`GraphQLClient.query` never returns such an answer as data: any ``errors``
raise :class:`GraphQLError`, whatever the HTTP status.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Union

from bigcommerce.exception import (
    GraphQLError,
    InvalidResponseException,
    graphql_errors,
    graphql_summary,
)

__all__ = ["GraphQLClient", "GraphQLError", "check_graphql_response"]


def check_graphql_response(body: Any, response: Any = None) -> Any:
    """The ``data`` of a parsed GraphQL answer; raises :class:`GraphQLError` if it has ``errors``.

    ``errors`` that is present and not an empty list (even with ``data`` beside it), an answer that is
    not a JSON object, or one without ``data``, all raise. ``response`` (the HTTP response, optional)
    is attached to the exception.
    """
    if not isinstance(body, dict):
        raise GraphQLError("GraphQL answer is not a JSON object", response, [], None, body)
    errors = graphql_errors(body)
    if errors is not None:
        raise GraphQLError(f"GraphQL errors: {graphql_summary(errors)}", response, errors, body.get("data"), body)
    if "data" not in body:
        raise GraphQLError("GraphQL answer has neither data nor errors", response, [], None, body)
    return body["data"]


Path = Union[str, Sequence[Union[str, int]]]


class GraphQLClient:
    """The GraphQL endpoint ``{host}/stores/{store_hash}/graphql`` of one store.

    Build it from an OAuth connection (``api.graphql`` does); requests go through the connection's
    transport (retries of nothing but connection failures, since a query is a POST; 429 waiting;
    redaction; host checks).
    """

    def __init__(self, connection: Any) -> None:
        store_root = getattr(connection, "store_root", None)
        if not store_root:
            raise TypeError("GraphQL needs an OAuth connection (client_id, store_hash, access_token)")
        self.connection = connection

    @property
    def url(self) -> str:
        """``{host}/stores/{store_hash}/graphql``."""
        return f"{self.connection.store_root}/graphql"

    def __repr__(self) -> str:
        return f"<GraphQLClient {self.url}>"

    def execute(
        self, query: str, variables: Optional[Mapping[str, Any]] = None, operation_name: Optional[str] = None
    ) -> Dict[str, Any]:
        """Run ``query`` and return the whole parsed answer (``{"data": ...}``) after checking it.

        :raises GraphQLError: the answer carries ``errors`` (with any HTTP status), or has no ``data``.
        :raises HttpException: a non-2xx answer without GraphQL errors (401, 403, 429 after
            waiting, 5xx...), or a 2xx answer that is not JSON (``InvalidResponseException``).
        """
        if not isinstance(query, str) or not query.strip():
            raise ValueError("query must be a non-empty GraphQL document")
        payload: Dict[str, Any] = {"query": query, "variables": dict(variables or {})}
        if operation_name:
            payload["operationName"] = operation_name
        connection = self.connection
        response = connection.send("POST", self.url, data=payload)
        # GraphQL errors (any status), then the status, then a body that is not JSON: the transport's
        # interpreter raises each; what is left is a parsed answer to check for data.
        body = connection.handle_response("POST", self.url, response, dialect="graphql")
        if body is None:
            raise InvalidResponseException("POST /graphql: empty answer", response)
        check_graphql_response(body, response)
        return body  # type: ignore[no-any-return]

    def query(
        self, query: str, variables: Optional[Mapping[str, Any]] = None, operation_name: Optional[str] = None
    ) -> Any:
        """Run ``query`` with ``variables`` and return the answer's ``data``.

        :raises GraphQLError: the answer carries ``errors``, even with HTTP 200.
        """
        return self.execute(query, variables, operation_name)["data"]

    def paginate(
        self,
        query: str,
        variables: Optional[Mapping[str, Any]] = None,
        path: Path = ("site", "products"),
        cursor_variable: str = "after",
        edges: bool = False,
    ) -> Iterator[Any]:
        """Run a query over a connection, page after page, yielding its nodes (or its edges).

        ``query`` must take the cursor as the variable named ``cursor_variable`` (``$after: String``)
        and select ``pageInfo { hasNextPage endCursor }`` and ``edges { node { ... } }`` (or
        ``nodes { ... }``) of the connection found at ``path`` in ``data`` (a sequence of keys, or a
        dotted string such as ``"site.products"``)::

            QUERY = '''query ($first: Int, $after: String) {
              site { products(first: $first, after: $after) {
                pageInfo { hasNextPage endCursor }
                edges { node { entityId name } } } } }'''
            for node in api.graphql.paginate(QUERY, {"first": 50}):
                ...

        Pages are fetched as the caller consumes them; it stops when ``hasNextPage`` is false.

        :raises GraphQLError: any page's answer has errors.
        :raises InvalidResponseException: the connection is not found at ``path``, or has no
            ``pageInfo``, or asks for a next page without a new ``endCursor`` (it would loop).
        """
        keys = path.split(".") if isinstance(path, str) else list(path)
        if not keys:
            raise ValueError("path must name the connection, e.g. ('site', 'products')")
        values = dict(variables or {})
        seen = set()
        while True:
            body = self.execute(query, values)
            connection = body["data"]
            for key in keys:
                connection = connection.get(key) if isinstance(connection, dict) else None
            if not isinstance(connection, dict):
                raise InvalidResponseException(f"GraphQL answer has no connection at {'.'.join(map(str, keys))}")
            items = _items(connection, edges)
            yield from items
            info = connection.get("pageInfo")
            if not isinstance(info, dict):
                raise InvalidResponseException("the connection has no pageInfo { hasNextPage endCursor }")
            if not info.get("hasNextPage"):
                return
            cursor = info.get("endCursor")
            if not isinstance(cursor, str) or not cursor or cursor in seen or not items:
                raise InvalidResponseException(
                    "the connection says hasNextPage but gives no new endCursor: stopping, it would loop"
                )
            seen.add(cursor)
            values[cursor_variable] = cursor


def _items(connection: Dict[str, Any], edges: bool) -> List[Any]:
    found = connection.get("edges")
    if isinstance(found, list):
        if edges:
            return found
        return [edge.get("node") if isinstance(edge, dict) else edge for edge in found]
    nodes = connection.get("nodes")
    if isinstance(nodes, list):
        if edges:
            return [{"node": node} for node in nodes]
        return nodes
    raise InvalidResponseException("the connection has neither edges nor nodes")
