"""Default taxonomies and severity rules (domain.md §2); administrators edit them afterwards."""

from django.db import migrations

CHANNELS = [
    ("hotline", "客服热线", "Hotline", "staff"),
    ("outlet", "营业网点", "Outlet in person", "staff"),
    ("letter", "信函", "Letter", "staff"),
    ("email", "电子邮件", "E-mail", "email"),
    ("web", "网站/手机银行", "Web / mobile banking", "public"),
    ("suggestion_box", "意见箱", "Suggestion box", "staff"),
    ("pboc", "人民银行转办", "Transfer from the PBoC", "regulator"),
    ("nfra", "金融监管总局转办", "Transfer from the NFRA", "regulator"),
    ("12378", "12378 热线转办", "Transfer from the 12378 hotline", "regulator"),
    ("12315", "12315 转办", "Transfer from 12315", "regulator"),
    ("media", "媒体", "Media", "media"),
]
CATEGORIES = [
    ("debit_card", "借记卡", "Debit card", [("debit_open", "开户与销户", "Opening and closing"),
                                          ("debit_loss", "挂失与补卡", "Loss and replacement"),
                                          ("debit_limits", "交易与限额", "Transactions and limits")]),
    ("credit_card", "信用卡", "Credit card", [("card_apply", "申请与审批", "Application"),
                                            ("card_bill", "账单与还款", "Statements and repayment"),
                                            ("card_fees", "费用与利息", "Fees and interest"),
                                            ("card_collection", "催收", "Collection")]),
    ("personal_loan", "个人贷款", "Personal loan", [("loan_consumer", "消费贷款", "Consumer loan"),
                                                 ("loan_business", "经营贷款", "Business loan")]),
    ("mortgage", "住房按揭贷款", "Mortgage", [("mortgage_payment", "放款与还款", "Drawdown and repayment"),
                                          ("mortgage_prepay", "提前还款", "Early repayment")]),
    ("wealth", "理财", "Wealth management", [("wealth_sales", "理财产品销售", "Sales"),
                                          ("wealth_returns", "收益与赎回", "Returns and redemption")]),
    ("insurance", "代销保险", "Insurance sold by the bank", [("insurance_sales", "销售行为", "Sales practice"),
                                                        ("insurance_surrender", "退保", "Surrender")]),
    ("payment", "支付结算", "Payment and settlement", [("payment_transfer", "转账汇款", "Transfers"),
                                                  ("payment_third_party", "第三方支付", "Third-party payment")]),
    ("ebanking", "电子银行/手机银行", "E-banking / mobile banking", [
        ("ebanking_security", "登录与安全（U盾）", "Login and security (U-shield)"),
        ("ebanking_function", "功能与故障", "Functions and faults")]),
    ("counter", "柜面服务", "Counter service", [("counter_waiting", "排队与等候", "Queues and waiting"),
                                            ("counter_handling", "业务办理", "Handling of business")]),
    ("fees", "收费", "Fees", [("fees_account", "账户管理费", "Account fees"), ("fees_other", "其他收费", "Other fees")]),
    ("other", "其他业务", "Other business", [("other_business", "其他", "Other")]),
]
CAUSES = [
    ("attitude", "服务态度", "Service attitude"), ("quality", "服务质量", "Service quality"),
    ("procedures", "制度与流程", "Rules and procedures"), ("pricing", "定价与收费", "Pricing and fees"),
    ("marketing", "营销行为", "Marketing practices"), ("disclosure", "信息披露", "Information disclosure"),
    ("contract", "合同条款", "Contract terms"), ("collection", "债务催收", "Debt collection"),
    ("privacy", "信息安全与隐私", "Information security and privacy"), ("other", "其他", "Other"),
]
CLOSURE_CODES = [
    ("bank_at_fault", "企业责任", "Bank at fault"), ("handled_properly", "先期处理得当", "Handled properly before transfer"),
    ("case_revoked", "立案撤销", "Case revoked"), ("customer_cause", "用户原因", "Customer's cause"),
    ("withdrawn", "撤诉", "Withdrawn by the customer"), ("invalid", "非有效投诉", "Not a valid complaint"),
]
NON_ACCEPTANCE_REASONS = [
    ("not_our_business", "非本行业务或非本行责任范围", "Not the bank's business"),
    ("decided_elsewhere", "已由法院、仲裁机构或监管部门受理或处理", "Already before a court, arbitration or regulator"),
    ("not_a_party", "投诉人非当事人且无授权", "The complainant is not a party and has no authority"),
    ("unverifiable", "信息不全无法核实且无法联系投诉人", "Incomplete and the complainant cannot be reached"),
    ("repeat_answered", "重复投诉且已答复，无新情况、新理由", "Repeat, already answered, nothing new"),
    ("other", "其他", "Other"),
]
SEVERITY_RULES = [
    ("group", "", 3), ("media", "", 3), ("regulator", "", 2), ("amount_over", "50000", 2),
    ("amount_over", "500000", 3),
    ("keyword", "自杀,轻生,跳楼,以死相逼,诈骗,记者,曝光,上访", 3),
    ("keyword", "起诉,律师,12378,监管部门,银保监,金融监管总局", 2),
]


def load(apps, schema_editor):
    def entries(model_name, rows):
        model = apps.get_model("complaints", model_name)
        for order, (code, name, name_en) in enumerate(rows, start=1):
            model.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "sort_order": order})

    channel = apps.get_model("complaints", "Channel")
    for order, (code, name, name_en, kind) in enumerate(CHANNELS, start=1):
        channel.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "kind": kind,
                                                           "sort_order": order})
    category = apps.get_model("complaints", "BusinessCategory")
    for order, (code, name, name_en, children) in enumerate(CATEGORIES, start=1):
        parent, _created = category.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order * 10})
        for child_order, (child_code, child_name, child_en) in enumerate(children, start=1):
            category.objects.get_or_create(code=child_code, defaults={
                "name": child_name, "name_en": child_en, "sort_order": order * 10 + child_order, "parent": parent})
    entries("Cause", CAUSES)
    entries("ClosureCode", CLOSURE_CODES)
    entries("NonAcceptanceReason", NON_ACCEPTANCE_REASONS)
    severity_rule = apps.get_model("complaints", "SeverityRule")
    if not severity_rule.objects.exists():
        severity_rule.objects.bulk_create([severity_rule(condition=c, parameter=p, severity=s)
                                           for c, p, s in SEVERITY_RULES])


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
