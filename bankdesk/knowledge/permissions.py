"""The knowledge app's permissions and the roles that hold them."""

from enum import StrEnum

from bankdesk.core.permissions import grant, register_permissions


class KnowledgePermission(StrEnum):
    VIEW_KNOWLEDGE = "knowledge.view"
    MANAGE_KNOWLEDGE = "knowledge.manage"


def register() -> None:
    from bankdesk.orgs.models import Role

    register_permissions(KnowledgePermission)
    grant(Role.values, KnowledgePermission.VIEW_KNOWLEDGE)
    grant([Role.CONSUMER_PROTECTION, Role.ADMIN], KnowledgePermission.MANAGE_KNOWLEDGE)
