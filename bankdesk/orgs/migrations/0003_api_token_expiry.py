"""API tokens expire: existing tokens get created_at + the lifetime rule (90 days unless an administrator set it)."""

from datetime import timedelta

from django.db import migrations, models

LIFETIME_RULE = "security.api_token_lifetime_days"
DEFAULT_LIFETIME_DAYS = 90


def set_expiry_of_existing_tokens(apps, schema_editor):
    ApiToken = apps.get_model("orgs", "ApiToken")
    RuleSetting = apps.get_model("core", "RuleSetting")
    stored = RuleSetting.objects.filter(key=LIFETIME_RULE).values_list("value", flat=True).first()
    days = int(stored) if stored is not None else DEFAULT_LIFETIME_DAYS
    for token in ApiToken.objects.filter(expires_at=None).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + timedelta(days=days))


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("orgs", "0002_role_grant_request"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.RunPython(set_expiry_of_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
    ]
