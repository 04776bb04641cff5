"""Holes a security probe found in the shared request handling, each closed and kept closed."""

import os
import re
import subprocess
import sys
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import Client
from gunicorn.config import Config
from gunicorn.glogging import Logger

from bankdesk.core import ratelimit
from bankdesk.core.management.commands.serve import ACCESS_LOG_FORMAT
from bankdesk.core.models import RateCount
from bankdesk.secrets import create_private_file, field_encryption_key, secret_key, secure_var_dir


class TestRequestId:
    def test_a_plain_request_id_is_kept(self, client, db):
        response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="trace-42.a_b")
        assert response["X-Request-ID"] == "trace-42.a_b"

    @pytest.mark.parametrize("sent", ["a b", "x" * 37, "id\r\nSet-Cookie: a=b", "<script>", "日志", ""])
    def test_anything_else_is_replaced_by_a_new_id(self, client, db, sent):
        response = client.get("/accounts/login/", HTTP_X_REQUEST_ID=sent)
        assert response["X-Request-ID"] != sent and uuid.UUID(response["X-Request-ID"])


class TestApiAuthentication:
    def test_an_anonymous_post_is_unauthenticated_not_a_csrf_failure(self, db):
        client = Client(enforce_csrf_checks=True)
        response = client.post("/api/complaints", {}, content_type="application/json")
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_an_anonymous_post_with_a_stale_session_cookie_is_unauthenticated(self, db):
        client = Client(enforce_csrf_checks=True)
        client.cookies["sessionid"] = "no-such-session"
        assert client.post("/api/complaints", {}, content_type="application/json").status_code == 401

    def test_a_signed_in_session_without_csrf_token_is_still_refused(self, bank):
        client = Client(enforce_csrf_checks=True)
        client.force_login(bank.admin)
        response = client.post("/api/complaints", {}, content_type="application/json")
        assert response.status_code == 403 and "CSRF" in response.json()["message"]


class TestAccessLog:
    def test_the_served_access_log_never_shows_a_query_string_or_referer(self):
        config = Config()
        config.set("accesslog", "-")
        config.set("access_log_format", ACCESS_LOG_FORMAT)
        logger = Logger(config)
        environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/track/?phone=13912345678", "PATH_INFO": "/track/",
                   "QUERY_STRING": "phone=13912345678", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1",
                   "HTTP_REFERER": "/complaints/?q=13912345678", "HTTP_USER_AGENT": "curl"}
        response = SimpleNamespace(status="200 OK", sent=12, headers=[("X-Request-ID", "r-1")])
        line = ACCESS_LOG_FORMAT % logger.atoms(response, [], environ, timedelta(milliseconds=5))
        assert "13912345678" not in line
        assert '"GET /track/ HTTP/1.1" 200' in line and line.endswith("r-1")


class TestRateLimit:
    def test_counts_are_shared_and_survive_a_cleared_cache(self, db):
        verdicts = []
        for _ in range(3):
            verdicts.append(ratelimit.hit("probe:10.0.0.1", 2).allowed)
            cache.clear()
        assert verdicts == [True, True, False]
        assert ratelimit.hit("probe:10.0.0.2", 2).allowed  # another caller has its own count

    def test_a_new_window_starts_afresh_and_drops_ended_ones(self, db):
        with time_machine.travel("2026-03-02 10:59:30+00:00", tick=False):
            assert [ratelimit.hit("probe", 1).allowed for _ in range(2)] == [True, False]
            assert ratelimit.hit("probe", 1).retry_after == 30
        with time_machine.travel("2026-03-02 11:00:01+00:00", tick=False):
            assert ratelimit.hit("probe", 1).allowed
        assert RateCount.objects.count() == 1

    def test_with_redis_the_cache_counts(self, db, settings):
        settings.RATE_LIMIT_STORE = "cache"
        assert [ratelimit.hit("probe", 1).allowed for _ in range(2)] == [True, False]
        assert not RateCount.objects.exists()


class TestPrivateVarDir:
    def test_a_new_var_dir_is_private(self, tmp_path):
        var = tmp_path / "var"
        secure_var_dir(var)
        secret_key(var)
        field_encryption_key(var)
        create_private_file(var / "bankdesk.sqlite3")
        assert _mode(var) == 0o700
        assert {path.name: _mode(path) for path in var.iterdir()} == {
            "secret_key": 0o600, "field_key": 0o600, "bankdesk.sqlite3": 0o600}

    def test_looser_modes_of_an_existing_var_dir_are_fixed_at_start(self, tmp_path):
        var = tmp_path / "var"
        (var / "media" / "attachments").mkdir(parents=True)
        var.chmod(0o755)
        (var / "media").chmod(0o755)
        for name in ("bankdesk.sqlite3", "bankdesk.sqlite3-wal", "bankdesk.sqlite3-shm", "secret_key"):
            (var / name).write_text("x")
            (var / name).chmod(0o644)
        secure_var_dir(var)
        assert _mode(var) == 0o700 and _mode(var / "media") == 0o700
        assert {_mode(path) for path in var.iterdir() if path.is_file()} == {0o600}

    def test_uploads_are_stored_private(self, settings, tmp_path):
        storage = FileSystemStorage(location=tmp_path / "media")
        name = storage.save("attachments/ab/abc", ContentFile(b"%PDF-1.4"))
        assert _mode(tmp_path / "media" / name) == 0o600
        assert _mode(tmp_path / "media" / "attachments") == 0o700

    def test_the_running_var_dir_is_private(self, settings):
        assert _mode(settings.VAR_DIR) == 0o700


def _mode(path) -> int:
    return path.stat().st_mode & 0o777


class TestSecurityHeaders:
    def test_pages_and_api_answers_carry_the_content_security_policy(self, bank, logged_in):
        client = logged_in(bank.admin)
        for response in (client.get("/"), client.get("/api/me"), Client().get("/track/")):
            policy = response["Content-Security-Policy"]
            assert "default-src 'self'" in policy and "script-src 'self';" in policy
            assert "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy

    def test_pages_have_no_inline_script_the_policy_would_refuse(self, bank, logged_in):
        page = logged_in(bank.admin).get("/").content.decode()
        scripts = re.findall(r"<script[^>]*>", page)  # data for the scripts (json_script) is not run: allowed
        assert scripts and all(" src=" in tag or 'type="application/json"' in tag for tag in scripts)
        assert not re.search(r"\son[a-z]+=", page) and "javascript:" not in page

    def test_api_docs_come_from_our_static_files(self, db):
        page = Client().get("/api/docs").content.decode()
        assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn." not in page

    def test_answers_with_personal_data_are_not_stored(self, bank, logged_in, desk):
        client = logged_in(bank.admin)
        public = Client().post("/track/", {"tracking_number": "TS-20260101-000001", "phone": "13900000000"})
        status = Client().post("/api/public/complaints/status", {"tracking_number": "TS-1", "phone": "139"},
                               content_type="application/json")
        for response in (client.get("/"), client.get("/api/me"), public, status):
            assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]

    def test_hsts_over_https_only(self, db, settings):
        settings.SECURE_HSTS_SECONDS = 31536000
        assert Client().get("/accounts/login/", secure=True)["Strict-Transport-Security"] == "max-age=31536000"
        assert "Strict-Transport-Security" not in Client().get("/accounts/login/")

    def test_hsts_seconds_come_from_the_environment(self):
        env = {**os.environ, "BANKDESK_HSTS_SECONDS": "600", "DJANGO_SETTINGS_MODULE": "bankdesk.settings"}
        code = "from django.conf import settings; print(settings.SECURE_HSTS_SECONDS)"
        printed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                 check=True).stdout
        assert printed.strip() == "600"
