"""The quality-monitoring API: the same rules as the pages, errors naming their field."""

import json

from bankdesk.scorecards.models import Evaluation
from bankdesk.scorecards.tests.conftest import items_of


def post(client, url, body, method="POST"):
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def test_score_a_call_through_the_api(qa, call_card, logged_in):
    client = logged_in(qa.inspector)
    version = call_card.versions.get()
    response = post(client, "/api/qa/evaluations", {"version": version.pk, "staff_id": qa.agent.pk, "call_id": "C9"})
    assert response.status_code == 201, response.content
    evaluation_id = response.json()["id"]
    ids = items_of(version)
    answers = [{"item": ids["规范问候"], "answer": "yes"}, {"item": ids["核实客户身份"], "answer": "no"},
               {"item": ids["业务解答准确"], "answer": "20"}, {"item": ids["规范结束语"], "answer": "yes"}]
    bad = post(client, f"/api/qa/evaluations/{evaluation_id}/submit",
               {"answers": [{"item": ids["业务解答准确"], "answer": "99"}]})
    assert bad.status_code == 400 and bad.json()["field"] == f"item_{ids['业务解答准确']}"
    done = post(client, f"/api/qa/evaluations/{evaluation_id}/submit", {"answers": answers})
    body = done.json()
    assert done.status_code == 200
    assert (body["score"], body["raw_score"], body["fatal_failed"], body["section_scores"]) == (
        "0.00", "80.00", True, ["50.00", "100.00"])
    listed = client.get("/api/qa/evaluations", {"fatal_only": True}).json()
    assert listed["total"] == 1 and listed["items"][0]["staff"] == qa.agent.username


def test_the_api_keeps_scopes(qa, call_card, logged_in):
    version = call_card.versions.get()
    outsider = logged_in(qa.inspector_b)
    response = post(outsider, "/api/qa/evaluations", {"version": version.pk, "staff_id": qa.agent.pk, "call_id": "1"})
    assert response.status_code == 404
    agent = logged_in(qa.agent)
    assert post(agent, "/api/qa/evaluations", {"version": version.pk, "call_id": "1"}).status_code == 403
    assert not Evaluation.objects.exists()


def test_the_editor_through_the_api(qa, logged_in):
    client = logged_in(qa.inspector)
    created = post(client, "/api/qa/scorecards", {"code": "API-1", "name": "接口评分表", "kind": "call", "unit": "CC"})
    assert created.status_code == 201
    version_id = created.json()["versions"][0]["id"]
    section = post(client, f"/api/qa/versions/{version_id}/sections", {"title": "开场", "weight": "10"}).json()
    bad = post(client, f"/api/qa/sections/{section['id']}/items",
               {"text": "问候", "max_points": "5", "answer_type": "points", "is_fatal": True})
    assert bad.status_code == 400 and bad.json()["field"] == "is_fatal"
    item = post(client, f"/api/qa/sections/{section['id']}/items", {"text": "问候", "max_points": "5"}).json()
    assert post(client, f"/api/qa/items/{item['id']}", {"max_points": "8"}, "PATCH").json()["max_points"] == "8.00"
    published = post(client, f"/api/qa/versions/{version_id}/publish", {})
    assert published.json()["status"] == "published"
    assert post(client, f"/api/qa/items/{item['id']}", {"text": "改"}, "PATCH").status_code == 409
