"""Tokens created before tokens expired get an expiry from the migration."""

from datetime import timedelta

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("orgs", "0002_role_grant_request")]


def test_existing_tokens_expire_the_lifetime_after_their_creation(committed_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    user = apps.get_model("orgs", "User").objects.create(username="cti")
    ApiToken = apps.get_model("orgs", "ApiToken")
    token = ApiToken.objects.create(user=user, name="CTI", prefix="bd_x", token_hash="h" * 64)
    created = timezone.now() - timedelta(days=10)
    ApiToken.objects.filter(pk=token.pk).update(created_at=created)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    migrated = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps.get_model(
        "orgs", "ApiToken").objects.get(pk=token.pk)
    assert migrated.expires_at == created + timedelta(days=90)
