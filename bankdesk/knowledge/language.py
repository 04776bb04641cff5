"""The service-language check every text to a customer passes before it is sent (docs/domain-rules.md §4)."""

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _

from bankdesk.core import caching
from bankdesk.core.errors import ValidationFailed
from bankdesk.knowledge.models import PhraseKind, ServicePhrase

CACHE_KEY = "bankdesk:forbidden-phrases"
IGNORED = re.compile(r"[\s\u3000，。？！、：；,.?!:;“”‘’\"'（）()《》<>—\-…·]")


@dataclass(frozen=True)
class Finding:
    number: int
    phrase: str
    term: str


def normalize(text: str) -> str:
    return IGNORED.sub("", text)


def _forbidden_terms() -> list[tuple[int, str, str]]:
    terms = cache.get(CACHE_KEY)
    if terms is None:
        terms = [(number, text, normalize(term))
                 for number, text, match_terms in ServicePhrase.objects.filter(
                     kind=PhraseKind.FORBIDDEN, is_active=True).values_list("number", "text", "match_terms")
                 for term in match_terms if normalize(term)]
        cache.set(CACHE_KEY, terms, 60)
    return terms


def invalidate() -> None:
    caching.drop(CACHE_KEY)


def check(text: str) -> list[Finding]:
    """The forbidden phrases found in `text`, punctuation and spacing ignored."""
    flat = normalize(text)
    return [Finding(number, phrase, term) for number, phrase, term in _forbidden_terms() if term in flat]


def require_clean(text: str, field: str = "text") -> None:
    """Block a text for a customer that contains a forbidden phrase, naming the phrase."""
    findings = check(text)
    if findings:
        raise ValidationFailed(
            _("The text contains a forbidden service phrase: “%(phrase)s”. Rephrase it before sending.")
            % {"phrase": findings[0].phrase}, field=field, code="forbidden_phrase")
