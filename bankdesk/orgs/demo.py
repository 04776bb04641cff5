"""The demo bank: a head office, two branches, six sub-branches, twenty outlets, departments,
a call center and a user for every role. Loading it twice changes nothing."""

from bankdesk.core import audit
from bankdesk.core.models import AuditSource
from bankdesk.orgs import services
from bankdesk.orgs.audit_actions import OrgAction
from bankdesk.orgs.models import OrgUnit, Role, RoleAssignment, UnitKind, User

DEMO_PASSWORD = "BankDesk@2026"

DEPARTMENTS = [
    ("HO-CP", "消费者权益保护部", "Consumer Protection Department"),
    ("HO-RETAIL", "个人金融部", "Retail Banking Department"),
    ("HO-CARD", "信用卡中心", "Credit Card Center"),
    ("HO-OPS", "运营管理部", "Operations Department"),
    ("HO-RISK", "风险合规部", "Risk and Compliance Department"),
    ("HO-IT", "信息科技部", "IT Department"),
]
BRANCHES = [
    ("BR01", "东城分行", "East City Branch", [
        ("BR01-S01", "东城分行营业部", ["人民路", "解放路", "中山路", "滨江路"]),
        ("BR01-S02", "江北支行", ["江北大道", "北岸"]),
        ("BR01-S03", "高新区支行", ["科技园", "创业路", "软件园", "大学城"]),
    ]),
    ("BR02", "西城分行", "West City Branch", [
        ("BR02-S01", "西城分行营业部", ["建设路", "西湖"]),
        ("BR02-S02", "南湖支行", ["南湖", "湖滨", "万达广场", "火车站"]),
        ("BR02-S03", "开发区支行", ["开发区", "保税区", "港口", "工业园"]),
    ]),
]
# (username, name, role, unit code)
USERS = [
    ("admin", "系统管理员", Role.ADMIN, "HO"),
    ("cp_officer", "王消保", Role.CONSUMER_PROTECTION, "HO"),
    ("cp_east", "李消保", Role.CONSUMER_PROTECTION, "BR01"),
    ("handler_east", "张处理", Role.HANDLER, "BR01"),
    ("handler_west", "赵处理", Role.HANDLER, "BR02"),
    ("handler_card", "钱协办", Role.HANDLER, "HO-CARD"),
    ("head_east", "陈主任", Role.UNIT_HEAD, "BR01"),
    ("head_west", "周主任", Role.UNIT_HEAD, "BR02"),
    ("agent01", "刘坐席", Role.AGENT, "CC"),
    ("lobby01", "孙大堂", Role.LOBBY_MANAGER, "BR01-S01-O01"),
    ("teller01", "吴柜员", Role.TELLER, "BR01-S01-O01"),
    ("qa01", "郑质检", Role.QA_INSPECTOR, "CC"),
    ("wfm01", "冯排班", Role.WORKFORCE_PLANNER, "CC"),
    ("manager", "何行长", Role.MANAGEMENT, "HO"),
    ("auditor", "许审计", Role.AUDITOR, "HO"),
    ("admin_east", "东城管理员", Role.ADMIN, "BR01"),
    ("callback01", "林回访", Role.CALLBACK_SEAT, "HO"),  # the call center's callback seat, for the whole bank
]


def _unit(admin, code, name, kind, parent, name_en=""):
    existing = OrgUnit.objects.filter(code=code).first()
    return existing or services.create_unit(admin, code=code, name=name, name_en=name_en, kind=kind, parent=parent)


def load_org(admin, root) -> None:
    for code, name, name_en in DEPARTMENTS:
        _unit(admin, code, name, UnitKind.DEPARTMENT, root, name_en)
    _unit(admin, "CC", "客户服务中心", UnitKind.CALL_CENTER, root, "Customer Service Center")
    for code, name, name_en, sub_branches in BRANCHES:
        branch = _unit(admin, code, name, UnitKind.BRANCH, root, name_en)
        for sub_code, sub_name, outlets in sub_branches:
            sub_branch = _unit(admin, sub_code, sub_name, UnitKind.SUB_BRANCH, branch)
            for number, street in enumerate(outlets, start=1):
                _unit(admin, f"{sub_code}-O{number:02d}", f"{street}网点", UnitKind.OUTLET, sub_branch)


def load_users(admin) -> None:
    for number, (username, name, role, unit_code) in enumerate(USERS, start=1):
        unit = OrgUnit.objects.get(code=unit_code)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.create_user(admin, username=username, display_name=name, password=DEMO_PASSWORD,
                                        home_unit=unit, staff_number=f"D{number:04d}",
                                        mobile=f"1380000{number:04d}")
        grant_directly(admin, user, role, unit)


def grant_directly(admin, user: User, role: str, unit: OrgUnit) -> RoleAssignment:
    """For demo and test data only: a role opening customers' data would otherwise wait for a second
    administrator's approval (services.assign_role). Still audited."""
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
    if created:
        audit.record(OrgAction.ROLE_ASSIGN, assignment, after={"user": user.pk, "role": role, "unit": unit.code},
                     actor=admin)
    return assignment


def load_demo() -> list[tuple[str, str, str]]:
    """Create what is missing of the demo bank; returns (username, name, role) of every demo login."""
    with audit.audit_context(source=AuditSource.IMPORT):
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            root, admin = services.bootstrap_bank(code="HO", name="总行", admin_username="admin",
                                                  admin_password=DEMO_PASSWORD, admin_name=USERS[0][1])
        else:
            root = OrgUnit.objects.get(code="HO")
        with audit.audit_context(actor=admin, source=AuditSource.IMPORT):
            load_org(admin, root)
            load_users(admin)
    return [(username, name, Role(role).label) for username, name, role, _unit_code in USERS]


def load(stdout) -> None:
    """The demo loader orgs registers (core's `load_demo` runs it): the bank, its users, their logins."""
    logins = load_demo()
    stdout.write("\nBankDesk 演示账号 / demo logins (password 密码: %s)" % DEMO_PASSWORD)
    for username, name, role in logins:
        stdout.write(f"  {username:<14} {name:<8} {role}")
    stdout.write("")
