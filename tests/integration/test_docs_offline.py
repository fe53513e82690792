"""/docs works on a closed network: every asset it loads comes from this server."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_docs_page_loads_swagger_ui_from_this_server_only(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    addresses = re.findall(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""", page.text)
    assert addresses, "the page names its assets"
    assert [a for a in addresses if re.match(r"^(https?:)?//", a)] == []
    for address in addresses:
        assert client.get(address).status_code == 200, address
    assert "cdn.jsdelivr.net" not in page.text
