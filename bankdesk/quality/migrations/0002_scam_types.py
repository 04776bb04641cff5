"""The scam types of seed 003 (refunds of an old loss, virtual currency, rebates, elderly-care schemes)
and the other common ones; administrators edit the list (core config table "scam-types")."""

from django.db import migrations

SCAM_TYPES = [
    ("loss_refund", "冒充追回损失、退赔"),
    ("virtual_currency", "虚拟货币投资"),
    ("rebate", "刷单、消费返利"),
    ("elderly_care", "养老服务、养老投资"),
    ("impersonating_authority", "冒充公检法"),
    ("fake_customer_service", "冒充电商、物流客服"),
    ("loan", "网络贷款、征信修复"),
    ("investment", "虚假投资理财"),
    ("romance", "网络交友、婚恋"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    ScamType = apps.get_model("quality", "ScamType")
    for position, (code, name) in enumerate(SCAM_TYPES, start=1):
        ScamType.objects.get_or_create(code=code, defaults={"name": name, "sort_order": position * 10})


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
