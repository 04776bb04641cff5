"""What the repair changed in a case: the original text with each change marked, for the fold on the
case page (the repaired text is what the page shows)."""

from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import mark_safe

PARTS = ("title", "intro", "analysis", "questions")


def marked_changes(original: str, repaired: str) -> str:
    """HTML of the original with what the repair removed in <del> and what it wrote in <ins>."""
    html = []
    matcher = SequenceMatcher(None, original, repaired, autojunk=False)
    for operation, start, end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            html.append(escape(original[start:end]))
            continue
        if end > start:
            html.append(f"<del>{escape(original[start:end])}</del>")
        if new_end > new_start:
            html.append(f"<ins>{escape(repaired[new_start:new_end])}</ins>")
    return mark_safe("".join(html).replace("\n", "<br>"))


def case_changes(case) -> list[dict]:
    """Per part of the case: its original with the changes marked, and how many changes there are."""
    result = []
    for part in PARTS:
        original, repaired = case.original.get(part, ""), getattr(case, part)
        if not original and not repaired:
            continue
        html = marked_changes(original, repaired)
        result.append({"part": part, "html": html, "changes": html.count("<ins>") + html.count("<del>")
                       - html.count("</del><ins>")})
    return result
