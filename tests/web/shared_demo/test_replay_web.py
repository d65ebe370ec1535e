from __future__ import annotations

from urllib.parse import quote

from web.investigations import READ_HOOKS


def recorded_at(app, position: int) -> str:  # type: ignore[no-untyped-def]
    return app.extensions["pvb"].projections["timeline"].get(position)["recorded_at"]


def test_directory_pages_show_the_directory_as_known_at_a_moment(client, auth, app):
    auth.login("lead")
    ledger = app.extensions["pvb"].ledger
    moment = recorded_at(app, ledger.max_position())
    assert client.post("/organisations", data={"code": "KGH", "name": "Kettering General", "kind": "acute_trust"}).status_code == 302
    live = client.get("/organisations").get_data(as_text=True)
    assert "Kettering General" in live and 'id="replay-control"' in live and "Register an organisation" in live
    then = client.get(f"/organisations?known_at={quote(moment)}").get_data(as_text=True)
    assert "Kettering General" not in then and "Nene Valley Hospitals" in then
    assert 'id="replay-banner"' in then and "Register an organisation" not in then
    assert client.get(f"/organisations/KGH?known_at={quote(moment)}").status_code == 404
    org = client.get(f"/organisations/NVH?known_at={quote(moment)}").get_data(as_text=True)
    assert "Daniel Okafor" in org and "Record a joiner" not in org
    bad = client.get("/organisations?known_at=yesterday-ish")
    assert bad.status_code == 422 and "known_at must be a date and time" in bad.get_data(as_text=True)
    auth.logout()
    auth.login("staff.nvh")
    assert 'id="replay-control"' not in client.get("/organisations").get_data(as_text=True)
    assert client.get(f"/organisations?known_at={quote(moment)}").status_code == 403


def test_the_replay_api_lists_views_and_gives_a_view_as_known_at_a_moment(client, auth, app):
    lead = auth.token("lead")
    views = client.get("/api/v1/replay", headers=lead).get_json()
    assert {"directory", "escalation", "feedback"} <= {v["name"] for v in views}
    head = app.extensions["pvb"].ledger.max_position()
    moment = recorded_at(app, 10)
    replay = client.get(f"/api/v1/replay/directory?known_at={quote(moment)}&table=dir_organisations",
                        headers=lead).get_json()
    assert (replay["position"], replay["head"], replay["tables"][0]["name"]) == (10, head, "dir_organisations")
    assert replay["tables"][0]["total"] == len(replay["tables"][0]["rows"]) <= 10
    now = client.get("/api/v1/replay/feedback?per_page=5", headers=lead).get_json()
    assert now["position"] == head and [t["name"] for t in now["tables"]] == ["fb_feedback", "fb_examples", "fb_responses"]
    assert client.get("/api/v1/replay/nope", headers=lead).status_code == 404
    assert client.get("/api/v1/replay/directory?table=nope", headers=lead).status_code == 404
    assert client.get("/api/v1/replay/directory?known_at=soon", headers=lead).status_code == 422
    assert client.get("/api/v1/replay", headers=auth.token("staff.nvh")).status_code == 403
    as_of = client.get("/api/v1/feedback?as_of=2000-01-01", headers=lead).get_json()
    assert as_of["total"] == 0


def test_an_investigator_reads_a_timeline_what_was_known_when_and_a_views_difference(client, auth, app):
    reads: list[tuple[str, dict]] = []

    def hook(actor, what):  # type: ignore[no-untyped-def]
        reads.append((actor.user_id, what))

    READ_HOOKS.append(hook)
    try:
        auth.login("investigator")
        first_feedback = recorded_at(app, app.extensions["pvb"].projections["timeline"].events(
            event_type="Feedback.Given", newest_first=False, limit=1)[0][0]["position"])
        page = client.get("/investigations/organisations/NVH?event_type=Feedback.Given").get_data(as_text=True)
        assert "Nene Valley Hospitals" in page and "Feedback.Given" in page and "Organisation.Registered</a>" not in page
        assert "What each actor knew when" in page and ">cqc<" in page.replace(" ", "")
        known = client.get(f"/investigations/organisations/NVH?known_at={quote(first_feedback)}").get_data(as_text=True)
        assert "As known at" in known and known.count("Feedback.Given</a>") == 1
        diff = client.get(f"/investigations/organisations/NVH?view=feedback&before={quote(first_feedback)}")
        text = diff.get_data(as_text=True)
        assert diff.status_code == 200 and 'id="diff-result"' in text and "fb_feedback" in text and "Added" in text
        assert client.get("/investigations").status_code == 200
        assert client.get("/investigations?position=1").get_data(as_text=True).count("Event #1") == 1
        token = auth.token("investigator")
        timeline = client.get("/api/v1/investigations/timeline?organisation=NVH&actor=cqc&per_page=5",
                              headers=token).get_json()
        assert timeline["total"] >= 1 and {e["actor_id"] for e in timeline["items"]} == {"cqc"}
        assert timeline["actors"][0]["actor_id"] == "system"
        api_diff = client.get(f"/api/v1/investigations/diff?view=directory&before={quote(recorded_at(app, 5))}",
                              headers=token).get_json()
        tables = {t["table"]: t for t in api_diff["tables"]}
        assert api_diff["before_position"] == 5 and tables["dir_organisations"]["added"]
        both = client.get("/api/v1/investigations/timeline?organisation=NVH&person=" + "0" * 8 + "-0000-0000-0000-" + "0" * 12,
                          headers=token)
        assert both.status_code == 422
        assert client.get("/api/v1/investigations/timeline", headers=auth.token("lead")).status_code == 403
        assert {who for who, _ in reads} == {"investigator"} and len(reads) >= 5
    finally:
        READ_HOOKS.remove(hook)


VIEW_PAGES = ["/adherence", "/adherence/NVH", "/feedback", "/organisations", "/concerns", "/concerns/board",
              "/concerns/list", "/concerns/statistics", "/meetings", "/meeting-bodies", "/surveys", "/adoption",
              "/objectives", "/objectives/NVH", "/reviews", "/commendations", "/chairs-meetings", "/development",
              "/reports", "/due"]


def test_every_view_page_has_the_replay_control_and_shows_no_forms_when_replayed(client, auth, app):
    from datetime import date, timedelta

    from domain.periods import quarter_of

    auth.login("lead")
    earlier = (date.today() - timedelta(days=200)).isoformat()
    pages = [*VIEW_PAGES, f"/reports/quarterly/{quarter_of(date.today()).key}"]
    for path in pages:
        live = client.get(path)
        assert live.status_code == 200, path
        assert 'id="replay-control"' in live.get_data(as_text=True), path
        then = client.get(f"{path}?as_of={earlier}")
        text = then.get_data(as_text=True)
        assert then.status_code == 200 and 'id="replay-banner"' in text, path
        assert 'method="post"' not in text.split('id="replay-control"')[1].replace('action="/logout"', ""), path
    moment = recorded_at(app, 50)
    adoption = client.get(f"/adoption?known_at={quote(moment)}").get_data(as_text=True)
    assert 'id="replay-banner"' in adoption and "Paper taken to a Board" not in adoption


def test_an_investigator_opens_a_concern_by_reference_with_its_timeline_actors_and_the_escalation_views_diff(
    client, auth, app
):  # type: ignore[no-untyped-def]
    auth.login("investigator")
    assert 'id="concern-lookup"' in client.get("/investigations").get_data(as_text=True)
    found = client.get("/investigations/concerns?reference=c-1")
    assert found.status_code == 302 and found.location.endswith("/investigations/concerns/C-1")
    page = client.get(found.location).get_data(as_text=True)
    assert "Concern C-1" in page and "Concern.Raised" in page and "What each actor knew when" in page
    timeline = app.extensions["pvb"].projections["timeline"]
    cid = app.extensions["pvb"].projections["escalation"].concern_id("C-1")
    events, total = timeline.events(timeline_subject("aggregate", cid), limit=50, newest_first=False)
    assert total >= 2
    raiser = events[0]["actor_id"]
    only = client.get(f"/investigations/concerns/C-1?actor={raiser}").get_data(as_text=True)
    assert only.count("Concern.Raised</a>") == 1
    later = events[1]["event_type"]
    assert f"{later}</a>" not in only or events[1]["actor_id"] == raiser
    before = recorded_at(app, events[0]["position"])
    diff = client.get(f"/investigations/concerns/C-1?view=escalation&before={quote(before)}").get_data(as_text=True)
    assert 'id="diff-result"' in diff and "esc_concerns" in diff
    assert client.get("/investigations/concerns/C-99999").status_code == 404
    assert client.get("/investigations/concerns?reference=").status_code == 422


def timeline_subject(kind: str, value: str):  # type: ignore[no-untyped-def]
    from projections.timeline import Subject

    return Subject(kind, value)
