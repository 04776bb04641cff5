"""Who may open the knowledge pages and call its operations (see core/access.py)."""

from bankdesk.knowledge.permissions import KnowledgePermission as P

RULES = {
    **{f"knowledge:{name}": P.VIEW_KNOWLEDGE for name in (
        "search", "suggestions", "cases", "case", "articles", "article", "phrases", "language_check")},
    **{f"knowledge:{name}": P.MANAGE_KNOWLEDGE for name in (
        "article_create", "article_edit", "phrase_edit", "import_runs", "import_run")},
    "knowledge_knowledge_search": P.VIEW_KNOWLEDGE, "knowledge_language_check": P.VIEW_KNOWLEDGE,
}
