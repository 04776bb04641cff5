"""System checks on the vocabulary apps register (permissions, audit actions, rule settings).

`manage.py check` and every start fail with an Error when code of a bankdesk app uses a permission,
an audit action or a rule key that no app registered, when an audit action has no label, or when
two apps register the same key. Code is read with `ast`, tests and migrations left out:
- string literals passed to audit.record / event_for / record_event and to rules.get*;
- string literals passed as the permission of require / require_in_scope / has_permission / scope_q /
  scope_paths / covers_whole_bank;
- attribute access on a registered permission or action enum (`ComplaintAction.REGISTR` is an Error),
  and on an enum named like one (`*Permission`, `*Action`) that no app registered.
"""

import ast
from pathlib import Path

from django.apps import apps
from django.core import checks

AUDIT_CALLS = {"record", "event_for", "record_event"}
PERMISSION_CALLS = {"require", "require_in_scope", "has_permission", "scope_q", "scope_paths", "covers_whole_bank"}
SKIPPED_DIRS = {"tests", "migrations", "__pycache__"}


def _vocabulary():
    from bankdesk.core import audit, permissions, rule_catalog

    enums = {enum.__name__: {member.name for member in enum}
             for enum in [*permissions.PERMISSION_ENUMS, *audit.ACTION_ENUMS]}
    return {"actions": audit.ACTIONS, "permissions": permissions.PERMISSIONS, "rules": rule_catalog.RULES,
            "enums": enums}


def _callee(node: ast.Call) -> tuple[str, str]:
    """("rules", "get") for rules.get(...), ("", "require") for require(...)."""
    func = node.func
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else ""
        return owner, func.attr
    if isinstance(func, ast.Name):
        return "", func.id
    return "", ""


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _literals(node) -> list[str]:
    """The string literals an argument can be: "a", or "a" if x else "b"."""
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    literal = _literal(node)
    return [] if literal is None else [literal]


def _permission_argument(node: ast.Call):
    """The permission argument: second positional, or the `permission=` keyword."""
    for keyword in node.keywords:
        if keyword.arg == "permission":
            return keyword.value
    return node.args[1] if len(node.args) > 1 else None


def scan_source(source: str, filename: str, vocabulary=None) -> list[checks.CheckMessage]:
    """The errors of one module's source."""
    vocabulary = vocabulary or _vocabulary()
    errors = []

    def error(node, message, hint, id_):
        errors.append(checks.Error(f"{filename}:{node.lineno}: {message}", hint=hint, obj=filename, id=id_))

    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call):
            owner, name = _callee(node)
            firsts = _literals(node.args[0]) if node.args else []
            for first in firsts:
                if owner == "audit" and name in AUDIT_CALLS and first not in vocabulary["actions"]:
                    error(node, f"audit action {first!r} is not registered.",
                          "Declare it in the app's audit_actions.py enum and register it at ready().", "bankdesk.E001")
                if owner == "rules" and name.startswith("get") and first not in vocabulary["rules"]:
                    error(node, f"rule setting {first!r} is not registered.",
                          "Declare a RuleDefinition in the app's rule_settings.py and register it at ready().",
                          "bankdesk.E002")
            if name in PERMISSION_CALLS:
                permission = _literal(_permission_argument(node))
                if permission is not None and permission not in vocabulary["permissions"]:
                    error(node, f"permission {permission!r} is not registered.",
                          "Declare it in the app's permissions.py enum and register it at ready().", "bankdesk.E003")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.attr.isupper():
            enum = node.value.id
            members = vocabulary["enums"].get(enum)
            if members is not None and node.attr not in members:
                error(node, f"{enum}.{node.attr} is not a member of the registered {enum}.",
                      f"Add {node.attr} to {enum} (with a label for an audit action).", "bankdesk.E004")
            elif members is None and enum.endswith(("Permission", "Action")) and enum[0].isupper():
                error(node, f"{enum} is used but no app registered it.",
                      "Register the enum from the app's AppConfig.ready().", "bankdesk.E004")
    return errors


def _modules(app_config):
    for path in sorted(Path(app_config.path).rglob("*.py")):
        if not SKIPPED_DIRS.intersection(path.relative_to(app_config.path).parts[:-1]):
            yield path


@checks.register()
def check_vocabulary(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from bankdesk.core import audit, demo, exports, navigation, permissions, rule_catalog

    configs = app_configs or apps.get_app_configs()
    vocabulary = _vocabulary()
    errors = []
    for config in configs:
        if config.name.startswith("bankdesk."):
            for path in _modules(config):
                errors += scan_source(path.read_text(encoding="utf-8"), str(path), vocabulary)
    for registry in (permissions.PERMISSIONS, audit.ACTIONS, rule_catalog.RULES, navigation.ENTRIES, demo.LOADERS,
                     exports.KINDS):
        for key, first, second in registry.duplicates:
            errors.append(checks.Error(f"{registry.what} {key!r} is registered by {first} and again by {second}.",
                                       hint="Each key belongs to one app; rename one of them.", id="bankdesk.E005"))
    errors += unlabelled_actions(audit.ACTION_ENUMS)
    return errors


def unlabelled_actions(enums) -> list[checks.CheckMessage]:
    """Action members without a label of their own (Django then makes one from the member's name)."""
    return [checks.Error(f"audit action {member.value!r} ({enum.__name__}.{member.name}) has no label.",
                         hint='Write it as NAME = "app.action", _("What it is called on screen").',
                         obj=enum, id="bankdesk.E006")
            for enum in enums for member in enum if str(member.label) == member.name.replace("_", " ").title()]
