from ninja import Field, Router, Schema

from bankdesk.knowledge import language

router = Router(tags=["knowledge"])


class TextIn(Schema):
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
