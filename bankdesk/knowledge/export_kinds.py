"""The case library and the rules and FAQ as background exports (core/exports.py): each list page's own filters
and selector, under the columns the page shows."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bankdesk.core import exports
from bankdesk.core.exports import Column
from bankdesk.knowledge import selectors, views
from bankdesk.knowledge.permissions import KnowledgePermission as P

CASE_COLUMNS = [
    Column(_("Case ID"), lambda case: case.code),
    Column(_("Title"), lambda case: case.title if case.has_body else f"{case.title}（{gettext('catalogue only')}）"),
    Column(_("Role group"), lambda case: f"{case.role_group} {case.role_group_name}".strip()),
    Column(_("Source branch"), lambda case: case.source_branch),
]
ARTICLE_COLUMNS = [
    Column(_("Title"), lambda article: article.title if article.is_active
           else f"{article.title}（{gettext('withdrawn')}）"),
    Column(_("Category"), lambda article: str(article.category)),
    Column(_("Owner"), lambda article: str(article.owner)),
    Column(_("Version"), lambda article: article.version),
    Column(_("Review by"), lambda article: article.review_date.isoformat()),
]

KINDS = [
    exports.list_kind("knowledge.cases", _("Case library"), P.VIEW_KNOWLEDGE, "cases", views.case_filters,
                      lambda user, filters: selectors.cases(user, **filters), CASE_COLUMNS),
    exports.list_kind("knowledge.articles", _("Rules and FAQ"), P.VIEW_KNOWLEDGE, "articles", views.article_filters,
                      lambda user, filters: selectors.articles(user, **filters), ARTICLE_COLUMNS),
]
