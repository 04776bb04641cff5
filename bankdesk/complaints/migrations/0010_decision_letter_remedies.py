"""Decision letters (issue 17 item 9): a fee refund beside the compensation, the basis and reasons of a decision,
and what the letter tells the customer for each closure code; the label 立案撤消 is written as a bank writes it
(立案撤销) wherever it is stored."""

from django.db import migrations, models

OLD_REVOKED, REVOKED = "立案撤消", "立案撤销"
CUSTOMER_TEXTS = {
    "bank_at_fault": "经核实，您反映的问题属实，我行对此深表歉意，已按上述措施处理并将整改。",
    "handled_properly": "经核实，我行此前已对您反映的问题作出妥善处理，本次维持原处理意见。",
    "case_revoked": "经核实，您反映的事项已由法院、仲裁机构或监管部门受理或处理，或投诉人并非当事人，本投诉予以撤销。",
    "customer_cause": "经核实，您反映的问题并非我行过错所致，我行已向您说明相关规定和原因。",
    "withdrawn": "您已撤回本次投诉，我行尊重您的决定。",
    "invalid": "经核实，您反映的事项不属于有效投诉，我行已向您说明原因。",
}


def bank_wording(apps, schema_editor):
    closure_codes = apps.get_model("complaints", "ClosureCode").objects
    closure_codes.filter(name=OLD_REVOKED).update(name=REVOKED)
    for code, text in CUSTOMER_TEXTS.items():
        closure_codes.filter(code=code, customer_text="").update(customer_text=text)


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0009_decision_clock_from_receipt"),
    ]

    operations = [
        migrations.AddField(
            model_name="closurecode",
            name="customer_text",
            field=models.CharField(blank=True, max_length=300, verbose_name="what the letter tells the customer"),
        ),
        migrations.AddField(
            model_name="decision",
            name="basis",
            field=models.TextField(blank=True, verbose_name="basis and reasons for the decision"),
        ),
        migrations.AddField(
            model_name="decision",
            name="fee_refund_amount",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True,
                                      verbose_name="fee refund (yuan)"),
        ),
        migrations.RunPython(bank_wording, migrations.RunPython.noop),
    ]
