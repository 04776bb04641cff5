from datetime import date

import pytest

from bankdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from bankdesk.knowledge import search, services
from bankdesk.knowledge.models import Article, ArticleCategory, ArticleVersion, PhraseKind, ServicePhrase
from bankdesk.orgs.models import Role


@pytest.fixture
def editor(bank):
    return bank.user("editor", Role.CONSUMER_PROTECTION, bank.root)


@pytest.fixture
def article(editor):
    category = ArticleCategory.objects.create(name="业务规则")
    return services.create_article(editor, category=category, title="U盾密码规则",
                                   body="U盾密码为6至8位字母和数字，区分大小写，连续输错6次锁定。",
                                   review_date=date(2027, 6, 30))


def test_every_edit_is_a_version_and_searchable(editor, article):
    updated = services.update_article(editor, article, category=article.category, title=article.title,
                                      body="U盾密码为6至8位字母和数字组合，区分大小写；连续输错6次后锁定。",
                                      review_date=date(2027, 12, 31), expected_version=1)
    assert updated.version == 2
    assert list(ArticleVersion.objects.filter(article=article).values_list("version", flat=True)) == [2, 1]
    hits = search.search(editor, "U盾密码锁定", kinds=["article"]).hits
    assert hits[0].id == article.pk


def test_stale_edit_is_refused(editor, article):
    services.update_article(editor, article, category=article.category, title="新标题", body="正文",
                            review_date=date(2027, 1, 1), expected_version=1)
    with pytest.raises(Conflict):
        services.update_article(editor, article, category=article.category, title="另一标题", body="正文",
                                review_date=date(2027, 1, 1), expected_version=1)


@pytest.mark.parametrize("changes, field", [({"title": " "}, "title"), ({"body": ""}, "body"),
                                            ({"review_date": None}, "review_date")])
def test_incomplete_article_saves_nothing(editor, changes, field):
    values = {"category": ArticleCategory.objects.create(name="FAQ"), "title": "标题", "body": "正文",
              "review_date": date(2027, 1, 1), **changes}
    with pytest.raises(ValidationFailed) as failure:
        services.create_article(editor, **values)
    assert failure.value.field == field and not Article.objects.exists()


def test_only_knowledge_managers_write(agent, editor, article):
    with pytest.raises(PermissionDenied):
        services.create_article(agent, category=article.category, title="x", body="y", review_date=date(2027, 1, 1))
    phrase = ServicePhrase.objects.get(kind=PhraseKind.FORBIDDEN, number=2)
    with pytest.raises(PermissionDenied):
        services.update_phrase(agent, phrase, text="x", match_terms=[], is_active=False)


class TestPages:
    def test_pages_open_for_staff(self, agent, logged_in, article):
        client = logged_in(agent)
        for url in ["/knowledge/search/?q=U盾", "/knowledge/cases/", "/knowledge/articles/",
                    f"/knowledge/articles/{article.pk}/", "/knowledge/phrases/"]:
            assert client.get(url).status_code == 200, url
        page = client.get("/knowledge/search/", {"q": "U盾密码"}).content.decode()
        assert "<mark>" in page and "U盾密码规则" in page

    def test_editing_needs_the_right(self, agent, logged_in, article):
        client = logged_in(agent)
        assert client.get("/knowledge/articles/new/").status_code == 403
        assert client.get(f"/knowledge/articles/{article.pk}/edit/").status_code == 403
        phrase = ServicePhrase.objects.first()
        assert client.post(f"/knowledge/phrases/{phrase.pk}/edit/", {"text": "x"}).status_code == 403

    def test_users_without_a_role_are_refused(self, bank, logged_in):
        from bankdesk.orgs import services as org_services

        nobody = org_services.create_user(bank.admin, username="nobody", display_name="无", password="Test-pass-2026",
                                          home_unit=bank.outlet_a)
        assert logged_in(nobody).get("/knowledge/search/?q=x").status_code == 403
        assert logged_in(nobody).get("/api/knowledge/search?q=x").status_code == 403

    def test_edit_form_keeps_input_on_error(self, editor, logged_in, article):
        response = logged_in(editor).post(f"/knowledge/articles/{article.pk}/edit/", {
            "category": article.category.pk, "title": "保留的标题", "body": "", "review_date": "2027-01-01",
            "version": 1})
        assert response.status_code == 200 and "保留的标题" in response.content.decode()
        article.refresh_from_db()
        assert article.version == 1

    def test_language_check_page(self, agent, logged_in):
        response = logged_in(agent).post("/knowledge/language-check/", {"text": "烦不烦，这么晚了明天来"})
        assert "这么晚了明天来" in response.content.decode()

    def test_suggestions_partial(self, agent, logged_in, article):
        response = logged_in(agent).get("/knowledge/suggestions/", {"text": "客户U盾密码忘了被锁定"})
        assert "U盾密码规则" in response.content.decode()


def test_search_api_answers_the_documented_shape(agent, logged_in, article):
    body = logged_in(agent).get("/api/knowledge/search", {"q": "U盾密码", "kind": "article"}).json()
    assert body["total"] == 1
    assert set(body["results"][0]) == {"kind", "id", "code", "title", "snippet", "score"}
    bad = logged_in(agent).get("/api/knowledge/search", {"q": "U盾", "kind": "letters"})
    assert bad.status_code == 400 and bad.json()["field"] == "kind"
