"""Fixtures of the toolkit tests: ``canned`` (see toolkit_canned.py)."""

from __future__ import annotations

import pytest
import requests
from toolkit_canned import CANNED_ORIGIN, CANNED_TOKEN, CannedAdapter


@pytest.fixture
def canned():
    """``canned(answers) -> (api, adapter)``; ``adapter.sent`` lists the prepared requests."""
    from bigcommerce.api import BigcommerceApi

    def build(answers):
        adapter = CannedAdapter(answers)
        session = requests.Session()  # the public seam: a session with our own adapter mounted
        session.mount("https://", adapter)
        api = BigcommerceApi(
            client_id="canned-client",
            store_hash="cannedhash",
            access_token=CANNED_TOKEN,
            api_service=CANNED_ORIGIN,
            auth_service=CANNED_ORIGIN,
            backoff_factor=0.01,
            session=session,
        )
        return api, adapter

    return build
