from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from bankdesk.core.errors import ValidationFailed
from bankdesk.core.inputs import InputSchema, PageNumber, Text
from bankdesk.core.permissions import require
from bankdesk.knowledge import language, search
from bankdesk.knowledge.permissions import KnowledgePermission

router = Router(tags=["knowledge"])


class TextIn(InputSchema):
    text: str = Field(..., max_length=20000)


class FindingOut(Schema):
    number: int
    phrase: str
    term: str


class LanguageCheckOut(Schema):
    ok: bool
    forbidden: list[FindingOut]


@router.post("/knowledge/language-check", response=LanguageCheckOut)
def language_check(request, payload: TextIn):
    """Check a text meant for a customer against the forbidden service phrases (服务忌语)."""
    findings = language.check(payload.text)
    return {"ok": not findings, "forbidden": findings}


class SearchHitOut(Schema):
    kind: str
    id: int
    code: str
    title: str
    snippet: str
    score: float


class SearchOut(Schema):
    results: list[SearchHitOut]
    total: int
    total_is_lower_bound: bool = Field(False, description="More complaints match than the 1,000 counted")


@router.get("/knowledge/search", response=SearchOut)
def knowledge_search(request, q: Text = Query(..., min_length=1, max_length=200), kind: Text = "",
                     group: Text = "", page: PageNumber = 1, page_size: int = Query(20, ge=1, le=100)):
    """Cases, articles and complaints (in your scope) matching the words of `q`, best first."""
    require(request.user, KnowledgePermission.VIEW_KNOWLEDGE)
    kinds = [k for k in kind.split(",") if k] or None
    if kinds and any(k not in search.all_kinds() for k in kinds):
        raise ValidationFailed(_("kind is one of: %(kinds)s.") % {"kinds": ", ".join(search.all_kinds())}, field="kind")
    results = search.search(request.user, q, kinds=kinds, group=group, limit=page_size,
                            offset=(page - 1) * page_size)
    return {"results": results.hits, "total": results.total, "total_is_lower_bound": results.total_is_lower_bound}
