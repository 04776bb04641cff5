"""Administrator-edited tables (taxonomies, severity and routing rules): one list-and-form page
for all of them. Entries are never deleted; they are deactivated, and every save is audited.

Who may change an entry depends on the units it touches. A table names them by field:
`unit_field` is the unit an entry applies to (empty: the whole bank), `touched_unit_fields` the
units it acts on (e.g. the departments a routing rule sends complaints to). An entry that applies
to the whole bank — every entry of a table without `unit_field` — is changed only by a holder of
the table's permission at the head office; an entry limited to a unit only by a holder of it over
that unit and every unit the entry touches. Users below the head office see the bank-wide entries
and those limited to their scope; the others are not listed and open as 404.
"""

from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankdesk.core import audit
from bankdesk.core.errors import NotFound, PermissionDenied
from bankdesk.core.inputs import InputModelForm
from bankdesk.core.permissions import covers_whole_bank, has_permission, require, scope_q
from bankdesk.core.registry import owner_of


@dataclass(frozen=True)
class ConfigTable:
    slug: str
    model: type
    fields: list[str]
    permission: str
    list_columns: list[str] = field(default_factory=list)
    unit_field: str | None = None
    touched_unit_fields: tuple[str, ...] = ()

    @property
    def title(self):
        return self.model._meta.verbose_name_plural

    def form_class(self):
        return forms.modelform_factory(self.model, form=InputModelForm, fields=self.fields)

    def form_for(self, user, *args, **kwargs) -> forms.ModelForm:
        """The entry form with its unit choices limited to the units `user` may name."""
        form = self.form_class()(*args, **kwargs)
        if not covers_whole_bank(user, self.permission):
            for name in self.scope_fields():
                if name in form.fields:  # the units' model is the org tree's, whose `path` scope_q reads
                    form.fields[name].queryset = form.fields[name].queryset.filter(
                        scope_q(user, self.permission, "path"))
            if self.unit_field in form.fields:
                form.fields[self.unit_field].required = True  # leaving it empty means the whole bank
        return form

    def columns(self) -> list[str]:
        return self.list_columns or self.fields

    def scope_fields(self) -> list[str]:
        return [name for name in (self.unit_field, *self.touched_unit_fields) if name]

    def entries(self):
        """All entries, with the objects the list shows joined in: one query per page."""
        related = [column for column in self.columns() if self.model._meta.get_field(column).many_to_one]
        return self.model.objects.select_related(*related)

    def entries_for(self, user):
        """The entries `user` may see: bank-wide ones and those limited to a unit in the user's scope."""
        require(user, self.permission)
        entries = self.entries()
        if self.unit_field is None or covers_whole_bank(user, self.permission):
            return entries
        many = [name for name in self.touched_unit_fields if self.model._meta.get_field(name).many_to_many]
        return entries.prefetch_related(*many).filter(Q(**{f"{self.unit_field}__isnull": True})
                              | scope_q(user, self.permission, f"{self.unit_field}__path"))

    def may_create(self, user) -> bool:
        """Below the head office only entries limited to a unit can be made, in tables that have them."""
        return has_permission(user, self.permission) and (
            self.unit_field is not None or covers_whole_bank(user, self.permission))

    def may_change(self, user, entry) -> bool:
        if covers_whole_bank(user, self.permission):
            return True
        try:
            self.check_units(user, *self.units_of(entry))
        except PermissionDenied:
            return False
        return True

    def units_of(self, entry, cleaned_data=None) -> tuple[object | None, list]:
        """(the unit the entry applies to or None for the whole bank, the units it acts on).
        Many-to-many values come from `cleaned_data` when given (a form not saved yet)."""
        applies_to = getattr(entry, self.unit_field) if self.unit_field else None
        touched = []
        for name in self.touched_unit_fields:
            if self.model._meta.get_field(name).many_to_many:
                values = cleaned_data[name] if cleaned_data is not None and name in cleaned_data else (
                    getattr(entry, name).all() if entry.pk else [])
                touched.extend(values)
            elif getattr(entry, name) is not None:
                touched.append(getattr(entry, name))
        return applies_to, touched

    def check_units(self, user, applies_to: object | None, touched: list) -> None:
        """403 unless `user` may make an entry applying to `applies_to` and acting on `touched`."""
        require(user, self.permission)
        if applies_to is None:
            if not covers_whole_bank(user, self.permission):
                raise PermissionDenied(_("Only the head office may change entries that apply to the whole bank."))
            return
        outside = [unit for unit in [applies_to, *touched] if not has_permission(user, self.permission, unit)]
        if outside:
            raise PermissionDenied(_("%(unit)s lies outside your scope.") % {"unit": outside[0].name})


REGISTRY: dict[str, ConfigTable] = {}


def register(table: ConfigTable) -> None:
    """Apps register their editable tables from AppConfig.ready(); each table's two audit actions come with it."""
    REGISTRY[table.slug] = table
    owner = owner_of(table.model)
    audit.register_action(entry_action(table, "create"), format_lazy(
        gettext_lazy("{table}: entry added"), table=table.model._meta.verbose_name_plural), owner)
    audit.register_action(entry_action(table, "update"), format_lazy(
        gettext_lazy("{table}: entry changed"), table=table.model._meta.verbose_name_plural), owner)


def entry_action(table: ConfigTable, change: str) -> str:
    return f"config.{table.slug}.{change}"


def tables_for(user) -> list[ConfigTable]:
    return [table for table in REGISTRY.values() if has_permission(user, table.permission)]


@transaction.atomic
def save_entry(actor, table: ConfigTable, form: forms.ModelForm):
    """Save a validated form of `table`, with the change on the audit trail.

    The actor must be allowed to change the entry as it was (404 when it lies outside their scope)
    and as it will be (403 for a unit they do not hold the permission over)."""
    require(actor, table.permission)
    adding = form.instance.pk is None
    before = None
    if not adding:
        stored = table.entries_for(actor).filter(pk=form.instance.pk).first()
        if stored is None:
            raise NotFound(_("Not found."))
        table.check_units(actor, *table.units_of(stored))
        before = audit.snapshot(stored, table.fields)
    table.check_units(actor, *table.units_of(form.instance, form.cleaned_data))
    entry = form.save()
    audit.record(entry_action(table, "create" if adding else "update"), entry, actor=actor, before=before,
                 after=audit.snapshot(entry, table.fields))
    return entry


def save_data(actor, slug: str, data: dict):
    """Add an entry to the table `slug` from plain form data, as its page would (demo loaders): the
    form's checks, the actor's scope and the audit event; ValueError naming the problems otherwise."""
    table = REGISTRY[slug]
    form = table.form_for(actor, data=data)
    if not form.is_valid():
        raise ValueError(f"{slug}: {form.errors.as_text()}")
    return save_entry(actor, table, form)
