"""Writes of the knowledge app: articles with versions, the service-language table."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from bankdesk.core import audit
from bankdesk.core.errors import Conflict, ValidationFailed
from bankdesk.core.permissions import require
from bankdesk.knowledge import language, search
from bankdesk.knowledge.audit_actions import KnowledgeAction
from bankdesk.knowledge.models import Article, ArticleCategory, ArticleVersion, ServicePhrase
from bankdesk.knowledge.permissions import KnowledgePermission

ARTICLE_FIELDS = ["category", "title", "body", "review_date", "is_active", "source", "version"]


def _validate_article(title: str, body: str, category, review_date) -> None:
    if category is None:
        raise ValidationFailed(_("Choose a category."), field="category")
    if not title.strip():
        raise ValidationFailed(_("Enter a title."), field="title")
    if not body.strip():
        raise ValidationFailed(_("Write the text of the article."), field="body")
    if review_date is None:
        raise ValidationFailed(_("Enter the date by which the article must be reviewed."), field="review_date")


def index_article(article: Article) -> None:
    search.index(search.Document(kind="article", object_id=article.pk, title=article.title, body=article.body,
                                 group=article.category.name))


@transaction.atomic
def create_article(actor, *, category: ArticleCategory, title: str, body: str, review_date: date,
                   source: str = "") -> Article:
    require(actor, KnowledgePermission.MANAGE_KNOWLEDGE)
    _validate_article(title, body, category, review_date)
    article = Article.objects.create(category=category, title=title.strip(), body=body.strip(), owner=actor,
                                     review_date=review_date, source=source)
    ArticleVersion.objects.create(article=article, version=1, title=article.title, body=article.body,
                                  edited_by=actor)
    index_article(article)
    audit.record(KnowledgeAction.ARTICLE_CREATE, article, actor=actor, after=audit.snapshot(article, ARTICLE_FIELDS))
    return article


@transaction.atomic
def update_article(actor, article: Article, *, category: ArticleCategory, title: str, body: str, review_date: date,
                   is_active: bool = True, source: str = "", expected_version: int | None = None) -> Article:
    """Save a new version; the old text stays in the version history."""
    require(actor, KnowledgePermission.MANAGE_KNOWLEDGE)
    _validate_article(title, body, category, review_date)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if expected_version is not None and article.version != expected_version:
        raise Conflict(_("Someone else changed this article meanwhile; reload it and try again."))
    before = audit.snapshot(article, ARTICLE_FIELDS)
    article.category, article.title, article.body = category, title.strip(), body.strip()
    article.review_date, article.is_active, article.source = review_date, is_active, source
    article.version += 1
    article.save()
    ArticleVersion.objects.create(article=article, version=article.version, title=article.title, body=article.body,
                                  edited_by=actor)
    index_article(article)
    audit.record(KnowledgeAction.ARTICLE_UPDATE, article, actor=actor, before=before,
                 after=audit.snapshot(article, ARTICLE_FIELDS))
    return article


@transaction.atomic
def update_phrase(actor, phrase: ServicePhrase, *, text: str, match_terms: list[str], is_active: bool) -> ServicePhrase:
    require(actor, KnowledgePermission.MANAGE_KNOWLEDGE)
    if not text.strip():
        raise ValidationFailed(_("Enter the phrase."), field="text")
    before = audit.snapshot(phrase, ["text", "match_terms", "is_active"])
    phrase.text, phrase.is_active = text.strip(), is_active
    phrase.match_terms = [term.strip() for term in match_terms if term.strip()]
    phrase.save()
    language.invalidate()
    audit.record(KnowledgeAction.PHRASE_UPDATE, phrase, actor=actor, before=before,
                 after=audit.snapshot(phrase, ["text", "match_terms", "is_active"]))
    return phrase
