"""Bulk coding of titles and skill phrases through the API."""

import pytest

pytestmark = pytest.mark.django_db


def test_titles_are_coded_one_result_each(api, bureau_user):
    titles = ["急招藤椅编织工10名 包吃住 3000-5000元/月", "【玉屏】住家保姆（限女）", "zzzz", ""]
    response = api.as_user(bureau_user).post("/api/v1/occupations/code/", {"titles": titles}, format="json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["title"] for r in results] == titles
    assert [r["code"] for r in results[:2]] == ["5-05-06-05", "4-10-01-06"]
    assert results[0]["confidence"] >= 0.9
    assert results[2]["code"] is None


def test_skill_phrases_resolve_and_the_rest_is_kept(api, liaison_user):
    response = api.as_user(liaison_user).post(
        "/api/v1/skills/resolve/", {"texts": ["编藤椅", "育儿嫂", "做保洁", "会修宇宙飞船"]}, format="json")
    results = response.json()["results"]
    assert [r["skill"]["name"] if r["skill"] else None for r in results] == ["藤编", "育婴", "保洁", None]
    assert results[3]["resolved"] is False
    assert results[3]["text"] == "会修宇宙飞船"
    split = api.post("/api/v1/skills/resolve/", {"texts": ["会编藤椅、做保洁"], "split": True}, format="json")
    assert [r["skill"]["name"] for r in split.json()["results"]] == ["藤编", "保洁"]


@pytest.mark.parametrize(
    ("url", "payload"),
    [("/api/v1/occupations/code/", {}), ("/api/v1/occupations/code/", {"titles": []}),
     ("/api/v1/occupations/code/", {"titles": "藤椅"}), ("/api/v1/occupations/code/", {"titles": ["x" * 5000]}),
     ("/api/v1/occupations/code/", {"titles": ["a"] * 1001}), ("/api/v1/skills/resolve/", {"texts": [None]}),
     ("/api/v1/skills/resolve/", {"texts": [{"a": 1}]}), ("/api/v1/skills/resolve/", "garbage")],
)
def test_garbage_is_400(api, bureau_user, url, payload):
    assert api.as_user(bureau_user).post(url, payload, format="json").status_code == 400


def test_anonymous_is_401(api):
    assert api.post("/api/v1/occupations/code/", {"titles": ["保姆"]}, format="json").status_code == 401


def test_ranking_run_progress_through_the_api(api, bureau_user, liaison_user, django_capture_on_commit_callbacks):
    from tests import factories as f

    f.PostingFactory(title="保洁员")
    for _ in range(3):
        f.ResidentFactory(skill_texts=["做保洁"])
    with django_capture_on_commit_callbacks(execute=True):
        created = api.as_user(bureau_user).post("/api/v1/ranking-runs/", {"chunk_size": 100}, format="json")
    assert created.status_code == 202
    run = api.get(f"/api/v1/ranking-runs/{created.json()['id']}/").json()
    assert (run["status"], run["chunks_done"], run["chunks_total"], run["residents_ranked"]) == ("finished", 1, 1, 3)
    assert api.as_user(liaison_user).post("/api/v1/ranking-runs/", {}, format="json").status_code == 403
    assert api.as_user(bureau_user).post("/api/v1/ranking-runs/", {"k": 0}, format="json").status_code == 400


def test_results_carry_three_alternatives_and_a_pick_is_kept(api, bureau_user):
    from taxonomy.coding import clear_caches, occupation_coder
    from taxonomy.models import OccupationCorrection

    response = api.as_user(bureau_user).post("/api/v1/occupations/code/", {"titles": ["侗锦织锦工"]}, format="json")
    result = response.json()["results"][0]
    assert result["code"] is not None  # never "none" for a Chinese title
    assert len(result["alternatives"]) == 3
    picked = api.post("/api/v1/occupations/corrections/",
                      {"title": "侗锦织锦工", "code": "6-09-03-19", "coded_as": result["code"]}, format="json")
    assert picked.status_code == 201, picked.content
    assert picked.json()["code"] == "6-09-03-19"
    correction = OccupationCorrection.objects.get()
    assert (correction.source, correction.created_by, correction.coded_as) == (
        "alternative", bureau_user, result["code"])
    clear_caches()
    assert occupation_coder().code("急招侗锦织锦工").code == "6-09-03-19"  # learnt at the next rebuild


@pytest.mark.parametrize(
    "payload", [{}, {"title": "", "code": "6-09-03-19"}, {"title": "织锦工", "code": "9-99-99-99"},
                {"title": "织锦工"}, {"title": "x" * 201, "code": "6-09-03-19"}],
)
def test_bad_corrections_are_400_and_change_nothing(api, bureau_user, payload):
    from taxonomy.models import OccupationCorrection

    response = api.as_user(bureau_user).post("/api/v1/occupations/corrections/", payload, format="json")
    assert response.status_code == 400
    assert OccupationCorrection.objects.count() == 0


def test_residents_and_deputies_cannot_record_corrections(api, resident_user, deputy_user):
    for user in (resident_user, deputy_user):
        response = api.as_user(user).post(
            "/api/v1/occupations/corrections/", {"title": "织锦工", "code": "6-09-03-19"}, format="json")
        assert response.status_code == 403
