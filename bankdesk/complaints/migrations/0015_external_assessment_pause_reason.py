"""Issue 17 item 3: external appraisal, testing or assessment (鉴定、检测、评估) is excluded from the limits too,
with the customer told; the reason is added (an administrator may retire it or change whether a notice is
required). Waiting for the customer's material keeps needing no separate notice: the request for it is the
contact."""

from django.db import migrations

REASON = {"code": "external_assessment", "name": "外部鉴定、检测、评估",
          "name_en": "External appraisal, testing or assessment", "sort_order": 2, "requires_notice": True}


def add_reason(apps, schema_editor):
    PauseReason = apps.get_model("complaints", "PauseReason")
    PauseReason.objects.get_or_create(code=REASON["code"], defaults=REASON)


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0014_pause_reason_notice"),
    ]

    operations = [
        migrations.RunPython(add_reason, migrations.RunPython.noop),
    ]
