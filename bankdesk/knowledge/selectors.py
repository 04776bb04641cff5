"""Reads of the knowledge app."""

from django.db.models import Q
from django.utils import timezone

from bankdesk.core.permissions import require
from bankdesk.knowledge import search
from bankdesk.knowledge.models import Article, Case
from bankdesk.knowledge.permissions import KnowledgePermission

SUGGESTION_COUNT = 5


def cases(user, *, library: str = "", role_group: str = "", text: str = ""):
    require(user, KnowledgePermission.VIEW_KNOWLEDGE)
    found = Case.objects.all()
    if library:
        found = found.filter(library=library)
    if role_group:
        found = found.filter(role_group=role_group)
    if text:
        found = found.filter(Q(code=text) | Q(title__contains=text))
    return found.only("code", "title", "library", "role_group", "role_group_name", "source_branch", "has_body")


def role_groups():
    return Case.objects.exclude(role_group="").values_list("role_group", "role_group_name").distinct().order_by(
        "role_group")


def case_detail(user, code: str) -> Case | None:
    require(user, KnowledgePermission.VIEW_KNOWLEDGE)
    return Case.objects.filter(code=code).prefetch_related("similar").first()


def articles(user, *, category: int | None = None, text: str = "", review_due: bool = False):
    require(user, KnowledgePermission.VIEW_KNOWLEDGE)
    found = Article.objects.select_related("category", "owner")
    if category:
        found = found.filter(category_id=category)
    if text:
        found = found.filter(title__contains=text)
    if review_due:
        found = found.filter(review_date__lte=timezone.localdate())
    return found


SUGGESTION_TOPICS: dict = {}  # query parameter -> function giving the words it stands for ("" if none)


def register_suggestion_topic(parameter: str, words_for) -> None:
    """Another app names a query parameter of the suggestions partial and how to turn its value into
    search words (complaints: "business_category" -> the category's name), so knowledge needs none
    of its models."""
    SUGGESTION_TOPICS[parameter] = words_for


def topic_words(params) -> str:
    """The words the registered topic parameters present in `params` stand for."""
    return " ".join(filter(None, (words_for(params[name]) for name, words_for in SUGGESTION_TOPICS.items()
                                  if params.get(name))))


def suggestions(user, text: str, topic: str = "") -> list[search.SearchHit]:
    """Cases and articles like the complaint being registered or handled: its words and its topic
    (the name of its business category)."""
    query = f"{topic} {text}".strip()
    return search.search(user, query, kinds=["case", "article"], limit=SUGGESTION_COUNT).hits if query else []
