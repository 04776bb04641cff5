"""Administrator-edited tables (taxonomies, severity and routing rules): one list-and-form page
for all of them. Entries are never deleted; they are deactivated, and every save is audited."""

from dataclasses import dataclass, field

from django import forms
from django.db import transaction

from bankdesk.core import audit
from bankdesk.core.inputs import InputModelForm
from bankdesk.core.permissions import Permission, has_permission, require


@dataclass(frozen=True)
class ConfigTable:
    slug: str
    model: type
    fields: list[str]
    permission: Permission
    list_columns: list[str] = field(default_factory=list)

    @property
    def title(self):
        return self.model._meta.verbose_name_plural

    def form_class(self):
        return forms.modelform_factory(self.model, form=InputModelForm, fields=self.fields)

    def columns(self) -> list[str]:
        return self.list_columns or self.fields

    def entries(self):
        """All entries, with the objects the list shows joined in: one query per page."""
        related = [column for column in self.columns() if self.model._meta.get_field(column).many_to_one]
        return self.model.objects.select_related(*related)


REGISTRY: dict[str, ConfigTable] = {}


def register(table: ConfigTable) -> None:
    REGISTRY[table.slug] = table


def tables_for(user) -> list[ConfigTable]:
    return [table for table in REGISTRY.values() if has_permission(user, table.permission)]


@transaction.atomic
def save_entry(actor, table: ConfigTable, form: forms.ModelForm):
    """Save a validated form of `table`, with the change on the audit trail."""
    require(actor, table.permission)
    adding = form.instance.pk is None
    before = None if adding else audit.snapshot(table.model.objects.get(pk=form.instance.pk), table.fields)
    entry = form.save()
    audit.record(f"config.{table.slug}.{'create' if adding else 'update'}", entry, actor=actor, before=before,
                 after=audit.snapshot(entry, table.fields))
    return entry
