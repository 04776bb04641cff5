"""Loading the knowledge the bank starts with: the two case libraries and the FAQ articles.

The parsing and repair of the scraped seed files is in `case_library`; this module stores what
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


def ensure_repair_rules() -> int:
    """Seed the repair table from the reviewed CSV once; afterwards the database copy is the truth."""
    if RepairRule.objects.exists():
        return 0
    with open(DATA / "repair_rules.csv", encoding="utf-8") as handle:
        rows = [RepairRule(wrong=row["wrong"], right=row["right"], scope=row["scope"], cases=row.get("cases", ""),
                           phrase=row.get("phrase", ""), note=row.get("note", ""))
                for row in csv.DictReader(handle)]
    RepairRule.objects.bulk_create(rows)
    return len(rows)


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
    parsed = parse(path.read_text(encoding="utf-8"), _rules())
    with transaction.atomic():
        cases = _store(run.library, parsed)
        run.status, run.cases_imported, run.finished_at = JobStatus.SUCCEEDED, len(cases), timezone.now()
        run.report = [asdict(issue) for issue in parsed.report]
        run.save()
        audit.record(KnowledgeAction.CASES_IMPORT, run, actor=run.started_by,
                     after={"library": run.library, "cases": len(cases), "issues": len(run.report)})
    return run


def load_articles(owner) -> int:
    """The FAQ and rule articles of domain.md §4, created once (matched by title)."""
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
