"""The API as an integrator meets it: a client generated from /api/openapi.json with
openapi-python-client registers a complaint with an Idempotency-Key, retries, and reads a typed
field error."""

import importlib
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from bankdesk.api import api
from bankdesk.complaints.models import Complaint
from bankdesk.orgs.services import create_api_token

pytestmark = pytest.mark.usefixtures("committed_db")

GENERATOR_CONFIG = "post_hooks: []\npackage_name_override: bankdesk_client\n"


@pytest.fixture
def generated_client(tmp_path, monkeypatch):
    """The `bankdesk_client` package generated into tmp_path from the spec the API serves."""
    (tmp_path / "openapi.json").write_text(json.dumps(api.get_openapi_schema()))
    (tmp_path / "config.yaml").write_text(GENERATOR_CONFIG)
    generator = Path(sys.executable).with_name("openapi-python-client")
    subprocess.run([str(generator), "generate", "--path", "openapi.json", "--config", "config.yaml", "--meta",
                    "none", "--output-path", "bankdesk_client"], cwd=tmp_path, check=True, capture_output=True)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module("bankdesk_client")
    for name in [module for module in sys.modules if module.startswith("bankdesk_client")]:
        del sys.modules[name]


def _registration(models, **changes):
    values = {"complainant_name": "李女士", "phone": "13912345678", "channel": "hotline", "unit": "A-O1",
              "business_category": "counter_waiting", "cause": "attitude",
              "description": "在人民路网点排队一个多小时，柜员态度冷淡。", **changes}
    return models.RegistrationIn.from_dict(values)


def test_operations_have_short_stable_names(generated_client):
    from bankdesk_client.api.complaint_handling import complaints_add_note  # noqa: F401
    from bankdesk_client.api.complaints import complaints_register  # noqa: F401


def test_register_retry_and_typed_field_error(generated_client, live_server, desk):
    from bankdesk_client import AuthenticatedClient, models
    from bankdesk_client.api.complaints import complaints_register

    _token, raw = create_api_token(desk.agent, "integrator")
    client = AuthenticatedClient(base_url=live_server.url, token=raw)
    key = str(uuid.uuid4())

    first = complaints_register.sync_detailed(client=client, body=_registration(models), idempotency_key=key)
    retry = complaints_register.sync_detailed(client=client, body=_registration(models), idempotency_key=key)

    assert (first.status_code, retry.status_code) == (201, 200)
    assert isinstance(first.parsed, models.ComplaintDetailOut)
    assert retry.parsed.tracking_number == first.parsed.tracking_number
    assert Complaint.objects.count() == 1

    refused = complaints_register.sync_detailed(client=client, body=_registration(models, channel="carrier_pigeon"),
                                                idempotency_key=str(uuid.uuid4()))
    assert refused.status_code == 400
    assert isinstance(refused.parsed, models.ErrorOut)
    assert refused.parsed.field == "channel"
    assert refused.parsed.message
