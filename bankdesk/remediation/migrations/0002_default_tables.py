"""The default penalty ladder (after seed 004 article 2, domain.md §2) and root-cause taxonomy; both are
edited by the administrator afterwards (entries retired, never deleted)."""

from decimal import Decimal

from django.db import migrations

PENALTIES = [
    ("fine_30", "罚款30元", "Fine of 30 yuan", Decimal(30), 0),
    ("fine_100", "罚款100元", "Fine of 100 yuan", Decimal(100), 0),
    ("warning", "警告，罚款200元，扣5分，全员通报", "Warning, 200 yuan, 5 points, notice to all", Decimal(200), 5),
    ("reprimand", "申诫，罚款300元，扣10分", "Formal reprimand, 300 yuan, 10 points", Decimal(300), 10),
    ("major_demerit", "记大过，罚款1000元，扣发当月绩效", "Major demerit, 1,000 yuan, the month's performance pay",
     Decimal(1000), 0),
    ("dismissal", "建议除名，移交有关部门", "Dismissal recommended, referral to the authorities", None, 0),
]

ROOT_CAUSES = [
    ("process", "制度流程缺陷", "Flaw in a rule or process"),
    ("system", "系统或产品缺陷", "System or product defect"),
    ("operation", "员工操作失误", "Staff error"),
    ("conduct", "服务态度与行为", "Staff conduct"),
    ("disclosure", "信息披露不充分", "Insufficient disclosure"),
    ("training", "培训不到位", "Training gap"),
    ("third_party", "第三方合作机构", "Third-party partner"),
    ("other", "其他", "Other"),
]


def forwards(apps, schema_editor):
    PenaltyLevel = apps.get_model("remediation", "PenaltyLevel")
    RootCause = apps.get_model("remediation", "RootCause")
    for order, (code, name, name_en, fine, points) in enumerate(PENALTIES, start=1):
        PenaltyLevel.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "fine_yuan": fine, "points": points, "sort_order": order * 10})
    for order, (code, name, name_en) in enumerate(ROOT_CAUSES, start=1):
        RootCause.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("remediation", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
