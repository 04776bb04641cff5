from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from bankdesk.core import web
from bankdesk.core.errors import NotFound
from bankdesk.core.permissions import has_permission, require
from bankdesk.core.web import call_service, page_of
from bankdesk.knowledge import changes, language, search, selectors, services, tasks
from bankdesk.knowledge.case_library import REPORT_KINDS
from bankdesk.knowledge.forms import (
    ArticleFilterForm,
    ArticleForm,
    CaseFilterForm,
    LanguageCheckForm,
    PhraseForm,
    SearchForm,
)
from bankdesk.knowledge.models import Article, CaseLibrary, ImportRun, ServicePhrase
from bankdesk.knowledge.permissions import KnowledgePermission

SEARCH_PAGE_SIZE = 20
PART_NAMES = {"title": _lazy("Title"), "intro": _lazy("Introduction"), "analysis": _lazy("Analysis"),
              "questions": _lazy("Questions")}


@login_required
def search_page(request):
    require(request.user, KnowledgePermission.VIEW_KNOWLEDGE)
    form = SearchForm(request.GET or None, groups=selectors.role_groups())
    results, page_number = None, 1
    if form.is_valid():
        page_number = web.page_number(request)
        kinds = [form.cleaned_data["kind"]] if form.cleaned_data["kind"] else None
        results = search.search(request.user, form.cleaned_data["q"], kinds=kinds, group=form.cleaned_data["group"],
                                limit=SEARCH_PAGE_SIZE, offset=(page_number - 1) * SEARCH_PAGE_SIZE)
    return render(request, "knowledge/search.html", {
        "form": form, "results": results, "page_number": page_number,
        "hits": [(hit, search.page_of(hit)) for hit in results.hits] if results else [],
        "has_next": results is not None and page_number * SEARCH_PAGE_SIZE < results.total})


@login_required
def suggestions(request):
    """htmx: cases and articles like the text being written (complaint registration and handling)."""
    text = (request.GET.get("text") or request.GET.get("description", ""))[:2000]
    hits = selectors.suggestions(request.user, text, selectors.topic_words(request.GET))
    return render(request, "knowledge/_suggestions.html", {"hits": hits})


def case_filters(user, data) -> tuple[CaseFilterForm, dict]:
    """The case list's filter form and the selector's keywords for a query string's values (page and export)."""
    form = CaseFilterForm(data or None, groups=selectors.role_groups())
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {name: filters.get(name, "") for name in ("library", "role_group", "text")}


def article_filters(user, data) -> tuple[ArticleFilterForm, dict]:
    form = ArticleFilterForm(data or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {"category": filters.get("category") and filters["category"].pk, "text": filters.get("text", ""),
                  "review_due": filters.get("review_due", False)}


@login_required
def case_list(request):
    form, filters = case_filters(request.user, request.GET)
    found = selectors.cases(request.user, **filters)
    return render(request, "knowledge/case_list.html", {"form": form, "page": page_of(request, found, size=50)})


@login_required
def case_detail(request, code):
    case = selectors.case_detail(request.user, code)
    if case is None:
        raise NotFound()
    return render(request, "knowledge/case_detail.html", {
        "case": case, "changes": [{**change, "label": PART_NAMES[change["part"]]}
                                  for change in (changes.case_changes(case) if case.original else [])]})


@login_required
def article_list(request):
    form, filters = article_filters(request.user, request.GET)
    found = selectors.articles(request.user, **filters)
    return render(request, "knowledge/article_list.html", {
        "form": form, "page": page_of(request, found),
        "can_manage": has_permission(request.user, KnowledgePermission.MANAGE_KNOWLEDGE)})


@login_required
def article_detail(request, article_id):
    require(request.user, KnowledgePermission.VIEW_KNOWLEDGE)
    article = get_object_or_404(Article.objects.select_related("category", "owner"), pk=article_id)
    return render(request, "knowledge/article_detail.html", {
        "article": article, "versions": article.versions.select_related("edited_by")[:20],
        "can_manage": has_permission(request.user, KnowledgePermission.MANAGE_KNOWLEDGE)})


@login_required
def article_edit(request, article_id=None):
    require(request.user, KnowledgePermission.MANAGE_KNOWLEDGE)
    article = get_object_or_404(Article, pk=article_id) if article_id else None
    initial = {"is_active": True}
    if article:
        initial = {"category": article.category, "title": article.title, "body": article.body,
                   "review_date": article.review_date, "source": article.source, "is_active": article.is_active,
                   "version": article.version}
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {key: form.cleaned_data[key] for key in ("category", "title", "body", "review_date", "source")}
        if article:
            saved = call_service(form, lambda: services.update_article(
                request.user, article, is_active=form.cleaned_data["is_active"],
                expected_version=form.cleaned_data["version"], **data))
        else:
            saved = call_service(form, lambda: services.create_article(request.user, **data))
        if saved:
            messages.success(request, _("The article is saved."))
            return redirect("knowledge:article", article_id=saved.pk)
    return render(request, "knowledge/article_form.html", {"form": form, "article": article})


@login_required
def phrase_list(request):
    require(request.user, KnowledgePermission.VIEW_KNOWLEDGE)
    return render(request, "knowledge/phrase_list.html", {
        "phrases": ServicePhrase.objects.all(), "can_manage": has_permission(request.user, KnowledgePermission.MANAGE_KNOWLEDGE),
        "check_form": LanguageCheckForm()})


@login_required
def phrase_edit(request, phrase_id):
    require(request.user, KnowledgePermission.MANAGE_KNOWLEDGE)
    phrase = get_object_or_404(ServicePhrase, pk=phrase_id)
    form = PhraseForm(request.POST or None, initial={"text": phrase.text, "match_terms": "\n".join(phrase.match_terms),
                                                     "is_active": phrase.is_active})
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, lambda: services.update_phrase(
            request.user, phrase, text=form.cleaned_data["text"],
            match_terms=form.cleaned_data["match_terms"].splitlines(), is_active=form.cleaned_data["is_active"]))
        if saved:
            messages.success(request, _("The phrase is saved."))
            return redirect("knowledge:phrases")
    return render(request, "knowledge/phrase_form.html", {"form": form, "phrase": phrase})


@login_required
def language_check(request):
    """htmx: the forbidden phrases found in a text for a customer."""
    require(request.user, KnowledgePermission.VIEW_KNOWLEDGE)
    form = LanguageCheckForm(request.POST or None)
    findings = language.check(form.cleaned_data["text"]) if form.is_valid() else None
    return render(request, "knowledge/_language_result.html", {"form": form, "findings": findings})


@login_required
def import_runs(request):
    """The case-library imports: start one in the background, follow it, read its report."""
    require(request.user, KnowledgePermission.MANAGE_KNOWLEDGE)
    if request.method == "POST":
        library = request.POST.get("library", "")
        if library not in CaseLibrary.values:
            raise NotFound()
        run = tasks.start_case_import(request.user, library)
        return redirect("knowledge:import_run", run_id=run.pk)
    return render(request, "knowledge/import_runs.html", {
        "runs": ImportRun.objects.select_related("started_by")[:50], "libraries": CaseLibrary.choices})


@login_required
def import_run(request, run_id):
    require(request.user, KnowledgePermission.MANAGE_KNOWLEDGE)
    run = get_object_or_404(ImportRun.objects.select_related("started_by"), pk=run_id)
    template = "knowledge/_import_status.html" if request.htmx else "knowledge/import_run.html"
    report = [{**item, "kind_label": REPORT_KINDS.get(item["kind"], item["kind"])} for item in run.report]
    suspects = sorted(run.suspects, key=lambda row: (row["kind"] != "unambiguous", -row["left"], -row["before"]))
    return render(request, template, {"run": run, "report": report, "suspects": suspects,
                                      "suspects_left": sum(row["left"] for row in run.suspects)})
