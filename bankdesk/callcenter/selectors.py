"""Reads of the call-center app, each limited to the user's scope."""

from django.db.models import Q

from bankdesk.callcenter.models import IntervalImport
from bankdesk.callcenter.permissions import CallcenterPermission
from bankdesk.core.errors import NotFound
from bankdesk.core.permissions import require, scope_q


def interval_imports(user):
    """The imports the user uploaded, and those of uploaders whose home unit lies in the user's scope."""
    require(user, CallcenterPermission.IMPORT_STATS)
    return IntervalImport.objects.select_related("created_by").filter(
        Q(created_by=user) | scope_q(user, CallcenterPermission.IMPORT_STATS, "created_by__home_unit__path"))


def interval_import(user, job_id: int) -> IntervalImport:
    job = interval_imports(user).filter(pk=job_id).first()
    if job is None:
        raise NotFound()
    return job
