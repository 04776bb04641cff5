"""Parsing and repairing the two scraped case libraries (docs/domain-rules.md §4).

The service-case library (source 001, data/service_cases_001.txt) has a catalogue (lines 5–31) and
bodies that follow one another, each case's ID usually at the end of the previous case's last line,
its title on the next. IDs are misprinted in places, so a body's real ID comes from its position
against the catalogue; every correction, gap and dropped fragment is reported. The text is
synonym-garbled: `repair` applies the reviewed substitution table (RepairRule rows), and the original
text is kept beside the repaired one.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

CODE = re.compile(r"(?<!\d)(0[1-7]0\d\d|2027)(?!\d)")
GROUP_RANGE = re.compile(r"(0[1-7])001-0[1-7](\d{3})\s*([^\s\d]+)")
# 案例引见 / 案例背景 (intro), 案例剖析 (analysis), 案例思索(题) (questions), with or without a numeral;
# the intro heading also appears as a bare "一、案例" or a line holding only "案例".
HEADING = re.compile(
    r"(?:[一二三四五][、.,，．]?\s*)?案例(?P<name>引见|背景|介绍|剖析|分析|思索题|思索|思考题|思考)\s*[:：]?\s*"
    r"|一[、.,，．]\s*案例\s*[:：]?\s*|(?m:^)案例[ \t]*\n")
PART_OF_HEADING = {"引见": "intro", "背景": "intro", "介绍": "intro", "剖析": "analysis", "分析": "analysis",
                   "思索题": "questions", "思索": "questions", "思考题": "questions", "思考": "questions"}
SOURCE_BRANCH = re.compile(r"\s*〔([^〔〕]{2,12}?(?:分行|支行|中心))提供〕\s*")
WEB_NOTICE = "因篇幅问题不能全部显示"
CATALOGUE_LINES = slice(5, 31)
SIMILAR_CASES = [("02010", "02023")]
MISPRINTS = {"2027": "02027"}


@dataclass(frozen=True)
class RepairRule:
    wrong: str
    right: str
    scope: str  # "everywhere", "cases" or "phrase"
    cases: str = ""  # case IDs separated by spaces, for scope "cases"
    phrase: str = ""  # the context that contains `wrong`, for scope "phrase"


REPORT_KINDS = {
    "catalogue_id": _("ID misprinted in the catalogue"), "body_id": _("ID misprinted in the text"),
    "no_body": _("Catalogued, no text"), "unplaced": _("Text not in the catalogue"),
    "web_notice": _("Web notice dropped"), "part_missing": _("Part not found"),
    "catalogue_count": _("Catalogue count"), "summary_only": _("Summary only"),
    "correction_unmatched": _("Correction not found in the text"),
    "review_unmatched": _("Reviewed use not found in the text"),
}


@dataclass(frozen=True)
class ImportIssue:
    code: str
    kind: str
    message: str


@dataclass
class ParsedCase:
    code: str
    role_group: str
    role_group_name: str
    catalogue_title: str
    title: str = ""
    intro: str = ""
    analysis: str = ""
    questions: str = ""
    source_branch: str = ""
    has_body: bool = False
    original_parts: dict = field(default_factory=dict)
    original_catalogue_title: str = ""
    similar_codes: list = field(default_factory=list)


@dataclass
class ParseResult:
    cases: list[ParsedCase]
    report: list[ImportIssue]


@dataclass(frozen=True)
class Correction:
    """A reviewed change to one case's wording: `wrong` exactly as the source prints it, in one part."""

    case: str
    part: str  # "title", "intro", "analysis" or "questions"
    wrong: str
    right: str
    note: str = ""


RULE_ORDER = {"phrase": 0, "cases": 1, "everywhere": 2}


def _ordered(rules: list[RepairRule]) -> list[RepairRule]:
    """The most specific rule first: phrases, then rules for listed cases, then rules for everywhere;
    within each, the longer text first (信誉卡 before 信誉)."""
    return sorted(rules, key=lambda rule: (RULE_ORDER.get(rule.scope, 3), -len(rule.phrase or rule.wrong)))


def _rewrite(pieces: list[tuple[str, bool]], wrong: str, right: str) -> list[tuple[str, bool]]:
    """Replace `wrong` by `right` in the pieces not yet settled; what is written is settled, so no
    later rule rewrites it (swaps run in chains: 只有→只要 and 只要→只需 in the source)."""
    result = []
    for text, settled in pieces:
        if settled or wrong not in text:
            result.append((text, settled))
            continue
        for position, plain in enumerate(text.split(wrong)):
            if position:
                result.append((right, True))
            if plain:
                result.append((plain, False))
    return result


def _rewrite_in_phrase(pieces: list[tuple[str, bool]], rule: RepairRule) -> list[tuple[str, bool]]:
    """Replace `wrong` only where it stands in the rule's phrase; the rest of the phrase stays open to
    other rules (需求失掉尊重: 需求→需要 here, 失掉→得到 by its own rule)."""
    inside = [(piece, False) for piece in rule.phrase.split(rule.wrong)]
    result = []
    for text, settled in pieces:
        if settled or rule.phrase not in text:
            result.append((text, settled))
            continue
        for position, plain in enumerate(text.split(rule.phrase)):
            if position:
                for index, (piece, _open) in enumerate(inside):
                    if index:
                        result.append((rule.right, True))
                    if piece:
                        result.append((piece, False))
            if plain:
                result.append((plain, False))
    return _merged(result)


def _merged(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Join neighbouring open pieces, so that a later rule sees their text as one."""
    result = []
    for text, settled in pieces:
        if result and not settled and not result[-1][1]:
            result[-1] = (result[-1][0] + text, False)
        else:
            result.append((text, settled))
    return result


def repair(text: str, case_code: str, rules: list[RepairRule], corrections: list[Correction] = (),
           part: str = "") -> str:
    """The per-case corrections of this part first, then the rules, most specific first (phrases,
    listed cases, everywhere). Each change is made once: no rule rewrites text already changed."""
    pieces = [(text, False)]
    for correction in corrections:
        if correction.case == case_code and correction.part == part:
            pieces = _rewrite(pieces, correction.wrong, correction.right)
    for rule in _ordered(rules):
        if rule.scope == "cases" and case_code not in rule.cases.split():
            continue
        if rule.scope == "phrase":
            pieces = _rewrite_in_phrase(pieces, rule)
        else:
            pieces = _rewrite(pieces, rule.wrong, rule.right)
    return "".join(piece for piece, _settled in pieces)


def _catalogue(lines: list[str]) -> tuple[list[ParsedCase], list[ImportIssue]]:
    """The catalogue entries in order, each with the ID its position gives it."""
    groups = [(code, int(last), name) for code, last, name in GROUP_RANGE.findall("\n".join(lines[:5]))]
    text = "\n".join(lines[CATALOGUE_LINES])
    marks = list(CODE.finditer(text))
    entries, report = [], []
    expected = [(f"{group}{number:03d}", group, name) for group, last, name in groups for number in range(1, last + 1)]
    for (code, group, name), mark, following in zip(expected, marks, marks[1:] + [None]):
        title = text[mark.end():following.start() if following else len(text)].strip()
        if mark.group() != code:
            report.append(ImportIssue(code, "catalogue_id", f"目录中编号印作 {mark.group()}，按位置应为 {code}"))
        entries.append(ParsedCase(code=code, role_group=group, role_group_name=name, catalogue_title=title,
                                  original_catalogue_title=title))
    if len(marks) != len(expected):
        report.append(ImportIssue("", "catalogue_count", f"目录有 {len(marks)} 条，分组范围共 {len(expected)} 条"))
    return entries, report


def _bodies(text: str) -> list[tuple[str, str, str]]:
    """(printed ID, title, body) of every case body: an ID, a title, then the first heading."""
    starts = [match for match in CODE.finditer(text)
              if HEADING.match(text, _after_title(text, match.end())) is not None]
    bodies = []
    for start, following in zip(starts, starts[1:] + [None]):
        title_end = _after_title(text, start.end())
        title = text[start.end():title_end].strip()
        bodies.append((start.group(), title, text[title_end:following.start() if following else len(text)]))
    return bodies


def _after_title(text: str, position: int) -> int:
    """Where the title that follows an ID ends: at the first heading within 80 characters."""
    heading = HEADING.search(text, position, position + 80)
    return heading.start() if heading else position


def _parts(body: str) -> dict[str, str]:
    parts, marks = {}, list(HEADING.finditer(body))
    for mark, following in zip(marks, marks[1:] + [None]):
        part = PART_OF_HEADING[mark.group("name") or "引见"]
        content = body[mark.end():following.start() if following else len(body)].strip()
        parts[part] = f"{parts[part]}\n{content}".strip() if part in parts else content
    return parts


def _fill(case: ParsedCase, title: str, body: str, rules: list[RepairRule], corrections: list[Correction],
          report: list[ImportIssue]) -> None:
    if WEB_NOTICE in body:
        body = body[:body.index(WEB_NOTICE)]
        report.append(ImportIssue(case.code, "web_notice", "删除了文末的网页提示"))
    branch = SOURCE_BRANCH.search(body)
    if branch:
        case.source_branch = branch.group(1)
        body = body[:branch.start()] + body[branch.end():]
    parts = _parts(body)
    for missing in {"intro", "analysis"} - set(parts):
        report.append(ImportIssue(case.code, "part_missing", f"未找到{'案例介绍' if missing == 'intro' else '案例分析'}"))
    case.original_parts = {"title": title, **parts}
    originals = {**case.original_parts, "catalogue": case.catalogue_title}
    for correction in corrections:
        if correction.case == case.code and correction.wrong not in originals.get(correction.part, ""):
            report.append(ImportIssue(case.code, "correction_unmatched",
                                      f"校对条目未匹配（{correction.part}）：{correction.wrong}"))
    case.title = repair(title, case.code, rules, corrections, "title")
    case.intro, case.analysis, case.questions = (repair(parts.get(name, ""), case.code, rules, corrections, name)
                                                 for name in ("intro", "analysis", "questions"))
    case.catalogue_title = repair(case.catalogue_title, case.code, rules, corrections, "catalogue")
    case.has_body = True


def parse_service_cases(text: str, rules: list[RepairRule], corrections: list[Correction] = ()) -> ParseResult:
    lines = text.splitlines()
    cases, report = _catalogue(lines)
    by_position = iter(cases)
    body_text = "\n".join(lines[CATALOGUE_LINES.stop:])
    for printed, title, body in _bodies(body_text):
        case = next(by_position, None)
        while case is not None and not _printed_as(printed, case.code):
            report.append(ImportIssue(case.code, "no_body", "目录中有此案例，正文中没有"))
            case = next(by_position, None)
        if case is None:
            report.append(ImportIssue(printed, "unplaced", f"正文中的案例 {printed} 无法对应目录"))
            continue
        if printed != case.code:
            report.append(ImportIssue(case.code, "body_id", f"正文编号印作 {printed}，按位置应为 {case.code}"))
        _fill(case, title, body, rules, corrections, report)
    for case in by_position:
        report.append(ImportIssue(case.code, "no_body", "目录中有此案例，正文中没有"))
    for case in cases:
        if not case.has_body:
            case.catalogue_title = repair(case.catalogue_title, case.code, rules, corrections, "catalogue")
    _link_similar(cases)
    return ParseResult(cases, report)


def _printed_as(printed: str, code: str) -> bool:
    """Whether a body printed with this ID can be the case `code`: IDs 02008–02021 are printed
    02020 or 02021 in the source, and 02027 as 2027."""
    if MISPRINTS.get(printed, printed) == code:
        return True
    return printed in ("02020", "02021") and "02008" <= code <= "02021"


def _link_similar(cases: list[ParsedCase]) -> None:
    by_code = {case.code: case for case in cases}
    for first, second in SIMILAR_CASES:
        if first in by_code and second in by_code:
            by_code[first].similar_codes.append(second)
            by_code[second].similar_codes.append(first)


MANAGEMENT_CASE = re.compile(r"案例(?P<number>7[6-9]|[89]\d)(?=[^\d])")
MANAGEMENT_SUMMARY = re.compile(r"案例摘要\s*[:：]")
MANAGEMENT_PART = re.compile(r"【案例(?P<name>介绍|分析)】")
LESSONS = re.compile(r"(?:以下|如下)?启示\s*[:：]")
MANAGEMENT_END = "文章推荐"


def parse_management_cases(text: str, rules: list[RepairRule] = (), corrections: list[Correction] = ()) -> ParseResult:
    """Cases 76–99 of source 000 (data/management_cases_000.txt): a header (branch: title), 案例摘要,
    【案例介绍】, 【案例分析】 with its 启示 (lessons), kept as the questions part. Source 000 is not garbled
    (docs/domain-rules.md §4): its text is stored as printed, and neither the repair rules nor corrections
    apply (客户赞扬 there is praise)."""
    if MANAGEMENT_END in text:
        text = text[:text.index(MANAGEMENT_END)]
    headers: dict[int, list] = {}
    for match in MANAGEMENT_CASE.finditer(text):
        if MANAGEMENT_SUMMARY.search(text, match.end(), match.end() + 200):
            headers.setdefault(int(match.group("number")), []).append(match)
    # A case's header may also stand at the foot of the page before (a running head): the case
    # starts at its last header, the case before ends at its first.
    numbers = sorted(headers)
    cases, report = [], []
    for number, following in zip(numbers, numbers[1:] + [None]):
        end = headers[following][0].start() if following else len(text)
        cases.append(_management_case(number, text[headers[number][-1].end():end], report))
    return ParseResult(cases, report)


def _management_case(number: int, chunk: str, report) -> ParsedCase:
    code = f"M{number:03d}"
    summary_mark = MANAGEMENT_SUMMARY.search(chunk)
    header, rest = chunk[:summary_mark.start()].strip(), chunk[summary_mark.end():]
    branch, _colon, title = header.partition(":") if ":" in header else header.partition("：")
    marks = list(MANAGEMENT_PART.finditer(rest))
    parts = {"intro": rest[:marks[0].start() if marks else len(rest)].strip()}
    for mark, following in zip(marks, marks[1:] + [None]):
        content = rest[mark.end():following.start() if following else len(rest)].strip()
        key = "intro" if mark.group("name") == "介绍" else "analysis"
        parts[key] = f"{parts.get(key, '')}\n{content}".strip()
    lessons = LESSONS.search(parts.get("analysis", ""))
    if lessons:
        parts["questions"] = parts["analysis"][lessons.end():].strip()
        parts["analysis"] = parts["analysis"][:lessons.start()].strip()
    if "analysis" not in parts:
        report.append(ImportIssue(code, "summary_only", "只有案例摘要，没有案例分析"))
    return ParsedCase(
        code=code, role_group="", role_group_name="", catalogue_title=title.strip() or header,
        title=title.strip() or header, source_branch=branch.strip() if title else "",
        intro=parts["intro"], analysis=parts.get("analysis", ""), questions=parts.get("questions", ""), has_body=True,
        original_parts={"title": header, **parts})


@dataclass(frozen=True)
class SuspectWord:
    """A form the synonym spinner writes (docs/domain-rules.md §4). Unambiguous: it must not be left after the
    repair. Ambiguous: it has real uses too, and each one left must be marked reviewed."""

    word: str
    right: str
    kind: str  # "unambiguous" or "ambiguous"


@dataclass(frozen=True)
class ReviewedHit:
    """A use of an ambiguous suspect word read and kept: `context` is the repaired text around it."""

    case: str
    word: str
    context: str


def _case_texts(case: ParsedCase) -> tuple[str, str]:
    original = "\n".join([case.original_catalogue_title, *case.original_parts.values()])
    repaired = "\n".join([case.catalogue_title, case.title, case.intro, case.analysis, case.questions])
    return original, repaired


def suspect_report(cases: list[ParsedCase], words: list[SuspectWord], reviewed: list[ReviewedHit]) -> tuple[
        list[dict], list[ImportIssue]]:
    """For each suspect word: how often the source has it, how often the repaired text still has it,
    how many of those are reviewed real uses, and how many are left to look at."""
    texts = {case.code: _case_texts(case) for case in cases if case.has_body or case.original_catalogue_title}
    issues, reviewed_counts = [], {}
    for hit in reviewed:
        original, repaired = texts.get(hit.case, ("", ""))
        found = repaired.count(hit.context) * hit.context.count(hit.word)
        if not found:
            issues.append(ImportIssue(hit.case, "review_unmatched", f"已审阅的用法未找到：{hit.context}"))
        key = (hit.case, hit.word)
        reviewed_counts[key] = reviewed_counts.get(key, 0) + found
    rows = []
    for word in words:
        before = sum(original.count(word.word) for original, _repaired in texts.values())
        after_by_case = {code: repaired.count(word.word) for code, (_original, repaired) in texts.items()}
        after = sum(after_by_case.values())
        kept = sum(min(count, reviewed_counts.get((code, word.word), 0)) for code, count in after_by_case.items())
        rows.append({"word": word.word, "right": word.right, "kind": word.kind, "before": before, "after": after,
                     "reviewed": kept, "left": after - kept,
                     "cases": sorted(code for code, count in after_by_case.items()
                                     if count > reviewed_counts.get((code, word.word), 0))})
    return rows, issues
