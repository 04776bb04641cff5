"""What the repair changed in a case: the original text with each change marked, for the fold on the
case page (the repaired text is what the page shows)."""

from bisect import bisect_left, bisect_right
from difflib import SequenceMatcher

import rjieba

from django.utils.html import escape
from django.utils.safestring import mark_safe

PARTS = ("title", "intro", "analysis", "questions")


def _word_bounds(text: str) -> list[int]:
    bounds, position = [0], 0
    for token in rjieba.cut(text):
        position += len(token)
        bounds.append(position)
    return bounds


def _changes(original: str, repaired: str) -> list[tuple[int, int, int, int]]:
    """The changed spans (original start, end, repaired start, end), widened to whole words of the
    original so that 指导→领导 shows as one change, not as 指→领 beside an unchanged 导."""
    bounds = _word_bounds(original)
    spans = [(a1, a2, b1, b2) for op, a1, a2, b1, b2 in
             SequenceMatcher(None, original, repaired, autojunk=False).get_opcodes() if op != "equal"]
    result, index = [], 0
    while index < len(spans):
        a1, a2, b1, b2 = spans[index]
        start = bounds[bisect_right(bounds, a1) - 1]
        a1, b1 = start, b1 - (a1 - start)
        if result and a1 < result[-1][1]:
            previous = result.pop()
            a1, b1 = previous[0], previous[2]
        end = bounds[bisect_left(bounds, a2)] if a2 <= bounds[-1] else a2
        while index + 1 < len(spans) and spans[index + 1][0] < end:
            index += 1
            a2, b2 = spans[index][1], spans[index][3]
            end = bounds[bisect_left(bounds, a2)]
        a2, b2 = end, b2 + (end - a2)
        result.append((a1, a2, b1, b2))
        index += 1
    return result


def marked_changes(original: str, repaired: str) -> str:
    """HTML of the original with what the repair removed in <del> and what it wrote in <ins>."""
    html, position = [], 0
    for a1, a2, b1, b2 in _changes(original, repaired):
        html.append(escape(original[position:a1]))
        if a2 > a1:
            html.append(f"<del>{escape(original[a1:a2])}</del>")
        if b2 > b1:
            html.append(f"<ins>{escape(repaired[b1:b2])}</ins>")
        position = a2
    html.append(escape(original[position:]))
    return mark_safe("".join(html).replace("\n", "<br>"))


def case_changes(case) -> list[dict]:
    """Per part of the case: its original with the changes marked, and how many changes there are."""
    result = []
    for part in PARTS:
        original, repaired = case.original.get(part, ""), getattr(case, part)
        if not original and not repaired:
            continue
        html = marked_changes(original, repaired)
        result.append({"part": part, "html": html, "changes": len(_changes(original, repaired))})
    return result
