"""The 32 polite and 29 forbidden phrases of seed 004 (domain.md §4), editable afterwards."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "service_language.json"


def load(apps, schema_editor):
    phrase = apps.get_model("knowledge", "ServicePhrase")
    for row in json.loads(DATA.read_text(encoding="utf-8"))["phrases"]:
        phrase.objects.get_or_create(kind=row["kind"], number=row["number"], defaults={
            "text": row["text"], "match_terms": row["match_terms"], "is_guideline": row["guideline"]})


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
