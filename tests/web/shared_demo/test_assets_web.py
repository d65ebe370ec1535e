"""Pages, the API docs page and their assets come from this server alone: the pinned NHS.UK frontend
and Swagger UI, and every template is autoescaped whatever its file extension."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LINKS = re.compile(r'(?:href|src|data-spec-url)="([^"]+)"')
CSS_URLS = re.compile(r"url\(([^)]+)\)")
OUTSIDE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)  # another origin: a scheme, or scheme-relative


def local_assets(client, url: str, headers: dict[str, str] | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """The page's links and scripts, each checked to be on this server and served."""
    page = client.get(url, headers=headers or {})
    assert page.status_code == 200, url
    links = LINKS.findall(page.get_data(as_text=True))
    outside = [link for link in links if OUTSIDE.match(link)]
    assert outside == [], f"{url} links outside the server: {outside}"
    for link in links:
        if link.startswith("/static/"):
            asset = client.get(link)
            assert asset.status_code == 200 and asset.data, link
    return links


def test_the_api_docs_page_is_swagger_ui_on_the_openapi_document_served_locally(client):
    links = local_assets(client, "/api/v1/docs")
    assert {"/static/swagger-ui/swagger-ui.css", "/static/swagger-ui/swagger-ui-bundle.js",
            "/api/v1/openapi.json"} <= set(links)
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and "/api/v1/organisations" in spec["paths"]


def test_pages_load_the_nhsuk_frontend_and_its_icons_from_this_server(client, auth):
    assert "/static/nhsuk/nhsuk-frontend.min.css" in local_assets(client, "/login")
    auth.login("lead")
    local_assets(client, "/")
    css = client.get("/static/nhsuk/nhsuk-frontend.min.css").get_data(as_text=True)
    assert "@font-face" not in css  # the licensed web fonts live only on assets.nhs.uk
    urls = {u.strip("'\"") for u in CSS_URLS.findall(css)} - {""}
    urls = {u for u in urls if not u.startswith("data:")}
    assert urls and all(u.startswith("/static/nhsuk/") for u in urls), sorted(urls)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_frontend_pair_is_pinned_as_nhsuk_frontend_jinja_documents_it():
    makefile = (ROOT / "Makefile").read_text()
    frontend = re.search(r"^NHSUK_FRONTEND_VERSION := (\S+)$", makefile, re.M).group(1)  # type: ignore[union-attr]
    jinja = re.search(r"nhsuk-frontend-jinja==(\S+)", (ROOT / "setup.cfg").read_text()).group(1)  # type: ignore[union-attr]
    assert metadata.version("nhsuk-frontend-jinja") == jinja
    pairs = re.findall(r"^\|\s*(\d+\.\d+\.\d+)\s*\|\s*(\d+\.\d+\.\d+)\s*\|", metadata.metadata(
        "nhsuk-frontend-jinja").get_payload(), re.M)  # type: ignore[attr-defined]
    assert (frontend, jinja) in pairs
    assert (ROOT / "web" / "static" / "nhsuk" / f"nhsuk-frontend-{frontend}.min.js").exists()


def test_every_template_is_autoescaped_whatever_its_extension(app):
    payload = "<script>alert(1)</script>"
    env = app.jinja_env
    assert env.autoescape is True  # not Flask's default, which escapes only .html, .xml, ...
    with app.test_request_context():
        nhsuk = env.get_template("nhsuk/components/inset-text/macro.jinja")  # the NHS.UK macros are .jinja
        rendered = nhsuk.module.insetText({"text": payload})  # type: ignore[attr-defined]
        plain = env.from_string("{{ text }}").render(text=payload)
    for html in (str(rendered), plain):
        assert payload not in html and "&lt;script&gt;" in html
