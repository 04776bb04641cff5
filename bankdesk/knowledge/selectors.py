"""Reads of the knowledge app."""

from django.db.models import Q
from django.utils import timezone

from bankdesk.complaints.models import BusinessCategory
from bankdesk.core.permissions import Permission, require
from bankdesk.knowledge import search
from bankdesk.knowledge.models import Article, Case

SUGGESTION_COUNT = 5


def cases(user, *, library: str = "", role_group: str = "", text: str = ""):
    require(user, Permission.VIEW_KNOWLEDGE)
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
    require(user, Permission.VIEW_KNOWLEDGE)
    return Case.objects.filter(code=code).prefetch_related("similar").first()


def articles(user, *, category: int | None = None, text: str = "", review_due: bool = False):
    require(user, Permission.VIEW_KNOWLEDGE)
    found = Article.objects.select_related("category", "owner")
    if category:
        found = found.filter(category_id=category)
    if text:
        found = found.filter(title__contains=text)
    if review_due:
        found = found.filter(review_date__lte=timezone.localdate())
    return found


def suggestions(user, text: str, business_category_id: str = "") -> list[search.SearchHit]:
    """Cases and articles like the complaint being registered or handled: its words and the name
    of its business category."""
    category = BusinessCategory.objects.filter(pk=business_category_id).first() if business_category_id.isdigit() \
        else None
    query = f"{category.name if category else ''} {text}".strip()
    return search.search(user, query, kinds=["case", "article"], limit=SUGGESTION_COUNT).hits if query else []
