"""A canned transport for the toolkit tests (the ``canned`` fixture of conftest.py).

A real ``BigcommerceApi`` (so the whole transport runs: host checks, retries, redaction) whose session
answers from a list instead of the network, for answers the sandbox never gives (links to another
origin, pages that repeat, odd GraphQL bodies).
"""

from __future__ import annotations

import http.client
import json
from typing import Any, List, Tuple

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

CANNED_ORIGIN = "https://api.canned.test"
CANNED_TOKEN = "canned-access-token-5f3a"


class CannedAdapter(BaseAdapter):
    """Answers each request with the next ``(status, body, headers)``; records what was sent."""

    def __init__(self, answers: List[Tuple[int, Any, dict]]):
        super().__init__()
        self.answers = list(answers)
        self.sent: List[requests.PreparedRequest] = []

    def send(self, request, **kwargs):
        self.sent.append(request)
        if not self.answers:
            raise AssertionError(f"unexpected request: {request.method} {request.url}")
        status, body, headers = self.answers.pop(0)
        response = requests.Response()
        response.status_code = status
        response.reason = http.client.responses.get(status, "")
        response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json", **(headers or {})})
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass
