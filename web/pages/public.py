"""The public site, at /public with no sign-in: the framework, each organisation's adoption, the public
edition of each published six-monthly report (page and PDF), concern statistics without names, the
latest signed checkpoint and the public key, and an Atom feed of publications.

Every page has a JSON twin under /public/api (web/api/public.py), drawn from the same data
(web/public_site.py).
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from flask import Blueprint, Response, render_template, request

from web import public_site
from web.pages.governance_support import today
from web.pages.reports import checkpoint_lines, pdf_response
from web.report_render import prepare_sections
from web.security import permission

bp = Blueprint("public", __name__)


@bp.route("/public", methods=["GET"])
@permission("public")
def index():  # type: ignore[no-untyped-def]
    """The public site's front page."""
    return render_template("public/index.html", reports=public_site.reports()[:3])


@bp.route("/public/framework", methods=["GET"])
@permission("public")
def framework():  # type: ignore[no-untyped-def]
    """The agreed framework at its current version, with its history of amendments."""
    data = public_site.framework()
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in data["items"]:
        groups.setdefault(item["group"], []).append(item)
    return render_template("public/framework.html", framework=data, groups=groups)


@bp.route("/public/adoption", methods=["GET"])
@permission("public")
def adoption():  # type: ignore[no-untyped-def]
    """Each organisation's adoption of the framework, and its committees' terms of reference."""
    return render_template("public/adoption.html", **public_site.adoption())


@bp.route("/public/reports", methods=["GET"])
@permission("public")
def reports():  # type: ignore[no-untyped-def]
    """Every published six-monthly report (public editions), superseded editions marked."""
    return render_template("public/reports.html", reports=public_site.reports())


@bp.route("/public/reports/<period>", methods=["GET"])
@bp.route("/public/reports/<period>/editions/<int:edition>", methods=["GET"])
@permission("public")
def report(period: str, edition: int | None = None):  # type: ignore[no-untyped-def]
    """The public edition of a published report: its figures, charts, headings and public summary."""
    r = public_site.public_report(period, edition)
    return render_template("public/report.html", r=r, public=True, sections=prepare_sections(r["figures"], None, public=True),
                           checkpoint=r["checkpoint"], checkpoint_lines=checkpoint_lines(r["checkpoint"]), erased_text="")


@bp.route("/public/reports/<period>/pdf", methods=["GET"])
@bp.route("/public/reports/<period>/editions/<int:edition>/pdf", methods=["GET"])
@permission("public")
def report_pdf(period: str, edition: int | None = None):  # type: ignore[no-untyped-def]
    """The public edition of a published report as a tagged PDF."""
    return pdf_response(public_site.public_report(period, edition), public=True)


@bp.route("/public/concerns", methods=["GET"])
@permission("public")
def concerns():  # type: ignore[no-untyped-def]
    """Concerns resolved by level and quarter with median working days; no names, fewer than five suppressed."""
    return render_template("public/concerns.html", stats=public_site.concern_statistics(today()))


@bp.route("/public/checkpoint", methods=["GET"])
@permission("public")
def checkpoint():  # type: ignore[no-untyped-def]
    """The latest signed checkpoint of the log and the public key, so anyone can check a report against it."""
    return render_template("public/checkpoint.html", **public_site.checkpoint())


@bp.route("/public/feed.xml", methods=["GET"])
@permission("public")
def feed():  # type: ignore[no-untyped-def]
    """An Atom feed of the six-monthly reports' publications."""
    root = request.url_root.rstrip("/")
    entries = public_site.reports()
    updated = max((r["published_on"] for r in entries if r["published_on"]), default="2000-01-01")
    parts = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
             "<title>Northamptonshire STP: the Independent Chair's six-monthly reports</title>",
             f'<link rel="self" href="{escape(root)}/public/feed.xml"/>', f'<link href="{escape(root)}/public/reports"/>',
             f"<id>{escape(root)}/public/reports</id>", f"<updated>{updated}T00:00:00Z</updated>",
             "<author><name>Northamptonshire Sustainability and Transformation Partnership</name></author>"]
    for r in entries:
        link = f"{root}{r['href']}"
        title = f"Six-monthly report {r['period']}, edition {r['edition']}"
        if r["status"] == "superseded":
            title += f" (superseded by edition {r['superseded_by']})"
        parts += ["<entry>", f"<title>{escape(title)}</title>", f'<link href="{escape(link)}"/>',
                  f"<id>urn:pvb-ledger:report:{escape(r['period'])}:edition-{r['edition']}:{r['content_hash']}</id>",
                  f"<updated>{r['superseded_on'] or r['published_on']}T00:00:00Z</updated>",
                  f"<published>{r['published_on']}T00:00:00Z</published>",
                  f"<summary>{escape(r['public_summary'])}</summary>", "</entry>"]
    parts.append("</feed>")
    return Response("\n".join(parts), mimetype="application/atom+xml")
