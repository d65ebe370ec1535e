"""Issue 31's penetration test, replayed against a real server (waitress over real HTTP, CSRF on):
sessions act with the user's current role and end on the server; sign-in is throttled outside
the log; the redirect after sign-in stays on this site; pages with personal data are not cached."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from application import Ledger
from domain.values import Role
from tests.conftest import ADMIN, DEMO_PASSWORD, free_port
from web.signin import FREE_FAILURES, MAX_DELAY, delay_after
from web.wiring import Services

EVIL = "http://evil.example/"


class Browser:
    """A client that keeps its cookies and sends the form's CSRF token, as a browser does."""

    def __init__(self, base: str, address: str | None = None) -> None:
        self.base, self.http = base, requests.Session()
        if address:  # behind the proxy (PVB_PROXY_COUNT=1): the client address it reports
            self.http.headers["X-Forwarded-For"] = address

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.base + path, allow_redirects=False, timeout=30)

    def post(self, path: str, data: dict[str, str] | None = None) -> requests.Response:
        form = self.get("/login").text if path.startswith("/login") else self.get("/account").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        fields = {**(data or {}), **({"csrf_token": token.group(1)} if token else {})}
        return self.http.post(self.base + path, data=fields, allow_redirects=False, timeout=30)

    def sign_in(self, username: str, password: str = DEMO_PASSWORD, next_: str | None = None) -> requests.Response:
        path = "/login" + (f"?next={next_}" if next_ is not None else "")
        return self.post(path, {"username": username, "password": password})

    def sign_out(self) -> requests.Response:
        page = self.get("/account").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        return self.http.post(self.base + "/logout", data={"csrf_token": token.group(1) if token else ""},
                              allow_redirects=False, timeout=30)


def serve(services: Services) -> Iterator[tuple[str, Any]]:
    """The demo served by waitress with CSRF on, behind one (pretend) proxy; yields (base URL, app)."""
    from waitress.server import create_server

    from web import create_app

    app = create_app({"PVB_SECRET_KEY": "issue-31", "PVB_LOG_FORMAT": "text", "PVB_PROXY_COUNT": "1"},
                     services=services)
    app.testing = True
    server = create_server(app, host="127.0.0.1", port=free_port(), threads=4,
                           clear_untrusted_proxy_headers=False)  # as `pvb serve` with PVB_PROXY_COUNT
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}", app
    server.close()


@pytest.fixture
def server(sqlite_url: str) -> Iterator[tuple[str, Any]]:
    """The demo on SQLite, served over real HTTP."""
    from datetime import date

    from application.demo import run_demo
    from domain.values import SYSTEM
    from web.wiring import build_services

    services = build_services(sqlite_url, inline=True)
    services.ledger.init_framework(SYSTEM)
    run_demo(services.ledger, services.projections["directory"], date.today(), lambda *_: None)
    yield from serve(services)
    services.close()


@pytest.fixture
def server_on_each_engine(demo: Services) -> Iterator[tuple[str, Any]]:
    """The demo on SQLite and on PostgreSQL, served over real HTTP."""
    yield from serve(demo)


def ledger_of(app: Any) -> Ledger:
    return app.extensions["pvb"].ledger  # type: ignore[no-any-return]


def sessions_of(app: Any, username: str) -> int:
    return ledger_of(app).sessions.count(username)


def test_a_demoted_user_loses_the_old_powers_on_their_next_request(server_on_each_engine):
    base, app = server_on_each_engine
    ceo = Browser(base, "10.0.0.1")
    assert ceo.sign_in("ceo.rfh").status_code == 303
    assert ceo.get("/concerns/C-12").status_code == 200  # a confidential concern about RFH
    ledger_of(app).change_role(ADMIN, "ceo.rfh", role="staff", organisation="RFH")  # as `pvb users role`
    refused = ceo.get("/concerns/C-12")
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]  # the session ended
    assert sessions_of(app, "ceo.rfh") == 0
    assert ceo.sign_in("ceo.rfh").status_code == 303  # back as staff: the old powers are gone
    assert ceo.get("/concerns/C-12").status_code == 404


def test_every_request_reads_the_users_current_role_from_the_ledger(server):
    base, app = server
    lead = Browser(base, "10.0.0.2")
    assert lead.sign_in("lead").status_code == 303
    assert lead.get("/adoption").status_code == 200
    ledger = ledger_of(app)
    user = ledger._user("lead")  # a role change that left the session standing would still be read
    user.change_role(Role.REGULATOR, "CQC", ADMIN, ledger._occurred(None))
    ledger.save(user)  # written behind the application's back: no session was ended
    assert sessions_of(app, "lead") == 1
    assert lead.get("/concerns/board").status_code == 403  # acts as a regulator at once


def test_logging_out_ends_the_session_so_a_saved_cookie_no_longer_works(server_on_each_engine):
    base, app = server_on_each_engine
    user = Browser(base, "10.0.0.3")
    user.sign_in("lead")
    saved = dict(user.http.cookies)
    assert user.get("/adoption").status_code == 200
    assert user.sign_out().status_code == 303
    thief = requests.Session()
    thief.cookies.update(saved)
    again = thief.get(base + "/adoption", allow_redirects=False, timeout=30)
    assert again.status_code == 302 and "/login" in again.headers["Location"]
    assert sessions_of(app, "lead") == 0


def test_sessions_end_when_idle_or_too_old_however_busy(server):
    base, app = server
    ledger, real_clock = ledger_of(app), ledger_of(app).clock
    now = [datetime.now(UTC)]
    ledger.clock = lambda: now[0]  # type: ignore[method-assign]
    try:
        user = Browser(base, "10.0.0.4")
        user.sign_in("lead")
        now[0] += timedelta(minutes=29)
        assert user.get("/adoption").status_code == 200  # used within 30 minutes: still live
        now[0] += timedelta(minutes=31)
        assert user.get("/adoption").status_code == 302  # idle for 31 minutes: over
        user.sign_in("lead")
        for _ in range(21):  # busy all day, a request every half hour: it still ends after 10 hours
            now[0] += timedelta(minutes=29)
            if user.get("/adoption").status_code != 200:
                break
        assert now[0] - datetime.now(UTC) > timedelta(hours=9, minutes=30)
        assert user.get("/adoption").status_code == 302
    finally:
        ledger.clock = real_clock  # type: ignore[method-assign]


def test_disabling_an_account_or_resetting_its_password_ends_its_sessions(server):
    base, app = server
    ledger = ledger_of(app)
    admin, staff = Browser(base, "10.0.0.5"), Browser(base, "10.0.0.6")
    staff.sign_in("staff.nvh")
    admin.sign_in("admin")
    page = admin.get("/users/staff.nvh")
    assert page.status_code == 200 and "Disable the account" in page.text
    weak = admin.post("/users/staff.nvh/password", {"password": "password1234", "password_again": "password1234"})
    assert weak.status_code == 422 and "one of the passwords people use most" in weak.text
    assert staff.get("/concerns").status_code == 200
    done = admin.post("/users/staff.nvh/password", {"password": "lantern-otter-quilt", "password_again": "lantern-otter-quilt"})
    assert done.status_code == 303
    assert staff.get("/concerns").status_code == 302  # ended
    assert staff.sign_in("staff.nvh").status_code == 401
    assert staff.sign_in("staff.nvh", "lantern-otter-quilt").status_code == 303
    assert admin.post("/users/staff.nvh/disable", {"reason": ""}).status_code == 422  # a reason is recorded
    assert admin.post("/users/staff.nvh/disable", {"reason": "Left the trust"}).status_code == 303
    assert staff.get("/concerns").status_code == 302
    assert staff.sign_in("staff.nvh", "lantern-otter-quilt").status_code == 401
    assert ledger.get_user("staff.nvh").disabled
    assert admin.post("/users/staff.nvh/enable", {"reason": "Came back"}).status_code == 303
    assert staff.sign_in("staff.nvh", "lantern-otter-quilt").status_code == 303
    assert admin.post("/users/admin/disable", {"reason": "oops"}).status_code == 409  # not yourself


def test_visitors_who_are_not_signed_in_get_no_server_side_session(server):
    base, app = server
    ledger = ledger_of(app)
    with ledger.datastore.transaction(commit=False) as c:
        c.execute("SELECT COUNT(*) FROM pvb_sessions")
        before = tuple(c.fetchone())[0]
    visitor = Browser(base, "10.0.0.7")
    for path in ("/", "/login", "/healthz", "/concerns/statistics"):
        visitor.get(path)
    visitor.sign_in("lead", "not-the-password-at-all")
    with ledger.datastore.transaction(commit=False) as c:
        c.execute("SELECT COUNT(*) FROM pvb_sessions")
        assert tuple(c.fetchone())[0] == before


@pytest.mark.parametrize("next_, expected", [
    ("/adoption", "/adoption"),
    ("/concerns?stage=chief_executives", "/concerns?stage=chief_executives"),
    ("/%09/evil.example", "/"),  # a tab: browsers drop it and read //evil.example
    ("//evil.example", "/"),
    ("/\\evil.example", "/"),
    ("https://evil.example/", "/"),
    ("javascript:alert(1)", "/"),
    ("/x%0d%0aSet-Cookie:%20a=b", "/"),  # CR LF: was a 500 after the sign-in was recorded
    ("/x%7f", "/"),
    ("", "/"),
])
def test_sign_in_answers_303_to_a_path_on_this_site_or_home(server, next_, expected):
    base, _app = server
    response = Browser(base, "10.0.1.1").sign_in("lead", next_=next_)
    assert response.status_code == 303
    assert response.headers["Location"] == expected


def log_size(app: Any) -> int:
    return ledger_of(app).max_position()


def test_failed_sign_ins_leave_the_log_alone_so_its_size_tells_no_username(server):
    base, app = server
    before = log_size(app)
    answers = set()
    for n, username in enumerate(["lead", "admin", "nobody-here", "ceo.rfh", "no.such.user"]):
        response = Browser(base, f"10.0.2.{n}").sign_in(username, "not-the-right-password")
        answers.add((response.status_code, "the username or password is not right" in response.text))
    assert answers == {(401, True)}  # the same answer whether the user exists or not
    assert log_size(app) == before  # and the log did not grow: its public size says nothing


def test_one_address_is_throttled_before_anything_is_checked(server):
    base, app = server
    attacker = Browser(base, "198.51.100.7")
    for n in range(10):  # a different account each time, so no account's own delay is reached
        assert attacker.sign_in(["lead", "admin", "ichair", "ao"][n % 4] + ("" if n < 4 else f"{n}"),
                                "guess-number-one").status_code == 401
    refused = attacker.sign_in("lead", DEMO_PASSWORD)  # even the right password: refused unchecked
    assert refused.status_code == 429 and "too many failed sign-ins from your network" in refused.text
    assert int(refused.headers["Retry-After"]) > 0
    assert Browser(base, "198.51.100.8").sign_in("lead").status_code == 303  # the user elsewhere is not
    assert app.extensions["pvb_signin"].counts(datetime.now(UTC).date()) == (10, 1)


def test_an_account_waits_a_growing_delay_that_never_locks_it_out_for_long(server):
    base, app = server
    guard, ledger = app.extensions["pvb_signin"], ledger_of(app)
    guard.first_delay, guard.max_delay = 1, 2  # seconds, so the test need not wait long
    told: list[tuple[str, int]] = []
    guard.waiting_hooks.append(lambda username, seconds: told.append((username, seconds)))
    before = log_size(app)
    for n in range(FREE_FAILURES):  # a distributed attacker: a new address each guess
        assert Browser(base, f"203.0.113.{n}").sign_in("ceo.nvh", "wrong-guess-x").status_code == 401
    waiting = Browser(base, "203.0.113.99").sign_in("ceo.nvh", DEMO_PASSWORD)
    assert waiting.status_code == 429 and "too many failed sign-ins to this account" in waiting.text
    unknown = [Browser(base, f"203.0.114.{n}").sign_in("nobody.at.all", "x").status_code for n in range(6)]
    assert unknown == [401] * 5 + [429]  # an unknown username waits alike
    assert log_size(app) == before
    assert told == [("ceo.nvh", 1), ("nobody.at.all", 1)]
    import time

    time.sleep(1.2)  # the delay is over: the user (who knows the password) gets in, and it is cleared
    assert Browser(base, "192.0.2.1").sign_in("ceo.nvh").status_code == 303
    for n in range(FREE_FAILURES):
        Browser(base, f"203.0.115.{n}").sign_in("ceo.nvh", "wrong-guess-y")
    assert guard.account_wait("ceo.nvh", ledger.sign_in_generation("ceo.nvh")) > 0
    ledger.unlock_user(ADMIN, "ceo.nvh", "rang the service desk")  # as `pvb users unlock`, any process
    assert Browser(base, "192.0.2.2").sign_in("ceo.nvh").status_code == 303
    assert [delay_after(n) for n in (4, 5, 6, 7, 20, 1000)] == [0, 15, 30, 60, MAX_DELAY, MAX_DELAY]


def test_the_days_failed_sign_ins_are_summarised_once_at_a_fixed_time(server):
    from web import summarise_sign_ins
    from web.signin import DailySummary

    base, app = server
    ledger, guard = ledger_of(app), app.extensions["pvb_signin"]
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    guard.count("failed", yesterday)
    guard.count("failed", yesterday)
    guard.count("refused", yesterday)
    before = log_size(app)
    assert summarise_sign_ins(app, yesterday) is True
    assert summarise_sign_ins(app, yesterday) is False  # once a day, whichever process comes first
    assert log_size(app) == before + 1
    event = ledger.mapper.to_domain_event(ledger.notification_log.select(before + 1, 1)[0])
    assert (type(event).__name__, event.day, event.failed, event.refused) == ("Summarised", yesterday, 2, 1)
    assert summarise_sign_ins(app, yesterday - timedelta(days=1)) is True  # nothing failed: written all the same
    at = DailySummary(lambda _day: None, now=lambda: datetime(2026, 3, 1, 23, 0, tzinfo=UTC))
    assert at.seconds_to_next() == 65 * 60  # 00:05 UTC, whatever happened in the day


def test_pages_and_answers_with_personal_data_are_not_kept_by_browsers(server):
    base, _app = server
    user = Browser(base, "10.0.3.1")
    user.sign_in("ceo.nvh")
    for path in ("/concerns/C-14", "/concerns", "/account", "/organisations"):
        response = user.get(path)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store", path
    assert "no-store" not in user.get("/static/nhsuk/nhsuk-frontend.min.css").headers.get("Cache-Control", "")


def test_error_paths_that_show_a_concern_record_the_read(server):
    base, app = server
    reads = app.extensions["pvb"].projections["access"]
    assert all(r["reader"] != "chair.rfh" for r in reads.reads("concern:C-12")[0])
    chair = Browser(base, "10.0.4.1")
    chair.sign_in("chair.rfh")  # C-12 is a confidential concern raised in RFH: its Chair may read it
    refused = chair.post("/concerns/C-12/steps/note", {"text": ""})  # an empty note shows the whole concern
    assert refused.status_code == 422 and "There is a problem" in refused.text and "crisis line" in refused.text
    app.extensions["pvb"].projections.catch_up()
    assert [r["reader"] for r in reads.reads("concern:C-12")[0]].count("chair.rfh") == 1


def test_replaying_the_investigations_timeline_is_a_recorded_read(server):
    base, app = server
    token = ledger_of(app).create_token(ADMIN, "investigator", scope="read", days=1).token
    before = log_size(app)
    answer = requests.get(base + "/api/v1/replay/timeline?per_page=1", timeout=60,
                          headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    app.extensions["pvb"].projections.catch_up()
    assert log_size(app) == before + 1
    rows, _ = app.extensions["pvb"].projections["access"].reads("investigation:replay:timeline")
    assert [r["reader"] for r in rows] == ["investigator"]
