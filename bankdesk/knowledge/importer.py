"""Loading the knowledge the bank starts with: the two case libraries and the FAQ articles.

The parsing and repair of the scraped source files (data/) is in `case_library`; this module stores what
it finds, keeps the repair table in the database (reviewed, editable), indexes every case for
search and writes an ImportRun with the report of what could not be placed.
"""

import csv
import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from bankdesk.core import audit
from bankdesk.core.models import JobStatus
from bankdesk.knowledge import case_library, search, services
from bankdesk.knowledge.audit_actions import KnowledgeAction
from bankdesk.knowledge.models import Article, ArticleCategory, Case, CaseLibrary, ImportRun, RepairRule

DATA = Path(__file__).resolve().parent / "data"
SOURCES = {
    CaseLibrary.SERVICE: (DATA / "service_cases_001.txt", case_library.parse_service_cases),
    CaseLibrary.MANAGEMENT: (DATA / "management_cases_000.txt", case_library.parse_management_cases),
}
ARTICLE_REVIEW_DATE = date(2027, 6, 30)


def _csv(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


RULE_KEY = ("wrong", "right", "scope", "cases", "phrase")


def ensure_repair_rules() -> int:
    """Add the rules of the reviewed CSV that the table does not have yet (matched on wrong, right,
    scope, cases and phrase); rows already there, edited or deactivated, are left as they are."""
    known = set(RepairRule.objects.values_list(*RULE_KEY))
    rows = [RepairRule(wrong=row["wrong"], right=row["right"], scope=row["scope"], cases=row.get("cases", ""),
                       phrase=row.get("phrase", ""), note=row.get("note", "")[:200])
            for row in _csv("repair_rules.csv")]
    new = [row for row in rows if tuple(getattr(row, name) for name in RULE_KEY) not in known]
    RepairRule.objects.bulk_create(new)
    return len(new)


def corrections() -> list[case_library.Correction]:
    """The per-case corrections of the proofreading (data/case_corrections.csv)."""
    return [case_library.Correction(case=row["case"], part=row["part"], wrong=row["wrong"], right=row["right"],
                                    note=row.get("note", "")) for row in _csv("case_corrections.csv")]


def suspect_words() -> list[case_library.SuspectWord]:
    return [case_library.SuspectWord(word=row["word"], right=row["right"], kind=row["kind"])
            for row in _csv("suspect_words.csv")]


def reviewed_hits() -> list[case_library.ReviewedHit]:
    return [case_library.ReviewedHit(case=row["case"], word=row["word"], context=row["context"])
            for row in _csv("reviewed_hits.csv")]


def _rules() -> list[case_library.RepairRule]:
    return [case_library.RepairRule(wrong=r.wrong, right=r.right, scope=r.scope, cases=r.cases, phrase=r.phrase)
            for r in RepairRule.objects.filter(is_active=True).order_by("id")]


def _case_document(case: Case) -> search.Document:
    return search.Document(kind="case", object_id=case.pk, code=case.code, title=case.title,
                           body="\n".join([case.catalogue_title, case.intro, case.analysis, case.questions]),
                           group=case.role_group)


def _store(library: str, parsed) -> list[Case]:
    stored = []
    for item in parsed.cases:
        case, _created = Case.objects.update_or_create(code=item.code, defaults={
            "library": library, "role_group": item.role_group, "role_group_name": item.role_group_name,
            "catalogue_title": item.catalogue_title, "title": item.title or item.catalogue_title,
            "intro": item.intro, "analysis": item.analysis, "questions": item.questions,
            "source_branch": item.source_branch, "has_body": item.has_body, "original": item.original_parts})
        stored.append((case, item))
    by_code = {case.code: case for case, _item in stored}
    for case, item in stored:
        case.similar.set([by_code[code] for code in item.similar_codes if code in by_code])
    search.index_many([_case_document(case) for case, _item in stored])
    return [case for case, _item in stored]


def import_cases(run: ImportRun) -> ImportRun:
    """Parse, repair and store one library; the run records counts and the import report."""
    path, parse = SOURCES[run.library]
    ensure_repair_rules()
    parsed = parse(path.read_text(encoding="utf-8"), _rules(), corrections())
    suspects, issues = [], []
    if run.library == CaseLibrary.SERVICE:  # source 000 is not garbled
        suspects, issues = case_library.suspect_report(parsed.cases, suspect_words(), reviewed_hits())
    with transaction.atomic():
        cases = _store(run.library, parsed)
        run.status, run.cases_imported, run.finished_at = JobStatus.SUCCEEDED, len(cases), timezone.now()
        run.report = [asdict(issue) for issue in parsed.report + issues]
        run.suspects = suspects
        run.save()
        audit.record(KnowledgeAction.CASES_IMPORT, run, actor=run.started_by,
                     after={"library": run.library, "cases": len(cases), "issues": len(run.report)})
    return run


def load_articles(owner) -> int:
    """The FAQ and rule articles of docs/domain-rules.md §4, created once (matched by title)."""
    data = json.loads((DATA / "articles.json").read_text(encoding="utf-8"))
    categories = {name: ArticleCategory.objects.get_or_create(name=name, defaults={"sort_order": order})[0]
                  for order, name in enumerate(data["categories"], start=1)}
    created = 0
    for row in data["articles"]:
        if Article.objects.filter(title=row["title"]).exists():
            continue
        services.create_article(owner, category=categories[row["category"]], title=row["title"], body=row["body"],
                                review_date=ARTICLE_REVIEW_DATE, source=row["source"])
        created += 1
    return created
