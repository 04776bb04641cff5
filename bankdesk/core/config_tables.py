"""Administrator-edited tables (taxonomies, severity and routing rules): one list-and-form page
for all of them. Entries are never deleted; they are deactivated, and every save is audited."""

from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bankdesk.core import audit
from bankdesk.core.permissions import has_permission, require
from bankdesk.core.registry import owner_of


@dataclass(frozen=True)
class ConfigTable:
    slug: str
    model: type
    fields: list[str]
    permission: str
    list_columns: list[str] = field(default_factory=list)

    @property
    def title(self):
        return self.model._meta.verbose_name_plural

    def form_class(self):
        return forms.modelform_factory(self.model, fields=self.fields)

    def columns(self) -> list[str]:
        return self.list_columns or self.fields

    def entries(self):
        """All entries, with the objects the list shows joined in: one query per page."""
        related = [column for column in self.columns() if self.model._meta.get_field(column).many_to_one]
        return self.model.objects.select_related(*related)


REGISTRY: dict[str, ConfigTable] = {}


def register(table: ConfigTable) -> None:
    """Apps register their editable tables from AppConfig.ready(); each table's two audit actions come with it."""
    REGISTRY[table.slug] = table
    owner = owner_of(table.model)
    audit.register_action(entry_action(table, "create"),
                          format_lazy(_("{table}: entry added"), table=table.model._meta.verbose_name_plural), owner)
    audit.register_action(entry_action(table, "update"),
                          format_lazy(_("{table}: entry changed"), table=table.model._meta.verbose_name_plural), owner)


def entry_action(table: ConfigTable, change: str) -> str:
    return f"config.{table.slug}.{change}"


def tables_for(user) -> list[ConfigTable]:
    return [table for table in REGISTRY.values() if has_permission(user, table.permission)]


@transaction.atomic
def save_entry(actor, table: ConfigTable, form: forms.ModelForm):
    """Save a validated form of `table`, with the change on the audit trail."""
    require(actor, table.permission)
    adding = form.instance.pk is None
    before = None if adding else audit.snapshot(table.model.objects.get(pk=form.instance.pk), table.fields)
    entry = form.save()
    audit.record(entry_action(table, "create" if adding else "update"), entry, actor=actor, before=before,
                 after=audit.snapshot(entry, table.fields))
    return entry
