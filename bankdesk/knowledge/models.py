"""What staff use to answer: the case libraries, rule and FAQ articles, and the service language."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bankdesk.core.models import JobStatus


class CaseLibrary(models.TextChoices):
    SERVICE = "service", _("Service cases")
    MANAGEMENT = "management", _("Management cases")


class Case(models.Model):
    """One case of an imported library, with its repaired parts and the original text beside them."""

    library = models.CharField(_("library"), max_length=20, choices=CaseLibrary.choices)
    code = models.CharField(_("case ID"), max_length=10, unique=True)
    role_group = models.CharField(_("role group"), max_length=4, blank=True, db_index=True)
    role_group_name = models.CharField(_("role group name"), max_length=50, blank=True)
    catalogue_title = models.CharField(_("title in the catalogue"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    analysis = models.TextField(_("analysis"), blank=True)
    questions = models.TextField(_("questions"), blank=True)
    source_branch = models.CharField(_("source branch"), max_length=50, blank=True)
    has_body = models.BooleanField(_("has a body"), default=True)
    original = models.JSONField(_("original text"), default=dict)
    similar = models.ManyToManyField("self", blank=True, verbose_name=_("similar cases"))
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"


class RepairScope(models.TextChoices):
    EVERYWHERE = "everywhere", _("Everywhere")
    CASES = "cases", _("Only in the cases listed")
    PHRASE = "phrase", _("Only inside the phrase given")


class RepairRule(models.Model):
    """A reviewed substitution that undoes the garbling of the scraped case library."""

    wrong = models.CharField(_("wrong form"), max_length=50)
    right = models.CharField(_("right form"), max_length=50)
    scope = models.CharField(_("where it applies"), max_length=20, choices=RepairScope.choices)
    cases = models.CharField(_("case IDs"), max_length=500, blank=True, help_text=_("Separated by spaces"))
    phrase = models.CharField(_("phrase"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("repair rule")
        verbose_name_plural = _("repair rules")
        ordering = ["id"]

    def __str__(self):
        return f"{self.wrong} → {self.right}"


class ImportRun(models.Model):
    """One import of a case library: counts and every item the import could not place."""

    library = models.CharField(_("library"), max_length=20, choices=CaseLibrary.choices)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    cases_imported = models.PositiveIntegerField(default=0)
    report = models.JSONField(_("report"), default=list)
    suspects = models.JSONField(_("suspect words left"), default=list, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class ArticleCategory(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("article category")
        verbose_name_plural = _("article categories")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Article(models.Model):
    """A business rule or FAQ answer; every edit is kept as a version."""

    category = models.ForeignKey(ArticleCategory, on_delete=models.PROTECT, verbose_name=_("category"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    version = models.PositiveIntegerField(_("version"), default=1)
    review_date = models.DateField(_("review by"))
    is_active = models.BooleanField(_("published"), default=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["category__sort_order", "title"]
        indexes = [models.Index(fields=["review_date"])]

    def __str__(self):
        return self.title


class ArticleVersion(models.Model):
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["article", "version"], name="unique_article_version")]


class PhraseKind(models.TextChoices):
    POLITE = "polite", _("Polite phrase (文明用语)")
    FORBIDDEN = "forbidden", _("Forbidden phrase (服务忌语)")


class ServicePhrase(models.Model):
    """The service-language standard; forbidden phrases block any text sent to a customer."""

    kind = models.CharField(_("kind"), max_length=10, choices=PhraseKind.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.CharField(_("text"), max_length=200)
    match_terms = models.JSONField(_("words to look for"), default=list, blank=True,
                                   help_text=_("A text containing any of them (punctuation ignored) is blocked"))
    is_guideline = models.BooleanField(_("guideline, not a phrase"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service phrase")
        verbose_name_plural = _("service phrases")
        ordering = ["kind", "number"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="unique_phrase_number")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}: {self.text}"


class SearchEntry(models.Model):
    """One searchable document, its text segmented into words; the full-text index is built on it
    (FTS5 on SQLite, a generated tsvector on PostgreSQL: see the migrations)."""

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    code = models.CharField(max_length=30, blank=True)
    group = models.CharField(max_length=50, blank=True)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)  # the text as written, for snippets
    title_words = models.TextField()
    body_words = models.TextField()
    scope_words = models.TextField(blank=True)
    unit_path = models.CharField(max_length=255, blank=True)
    lead_path = models.CharField(max_length=255, blank=True)
    handler_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_entry")]
