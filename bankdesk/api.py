"""The HTTP API at /api/: one NinjaAPI, one error format, session or token authentication.

Every error answers {"code", "message" (in the user's language), "field"} so that an integrator
can show the message and point at the input to fix.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, SessionAuth

from bankdesk.core import access, audit
from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, RateLimited, ValidationFailed
from bankdesk.orgs.services import authenticate_token


class BearerTokenAuth(APIKeyHeader):
    """`Authorization: Bearer bd_…`, a token created on the API tokens page."""

    param_name = "Authorization"

    def authenticate(self, request, key):
        if not key or not key.startswith("Bearer "):
            return None
        user = authenticate_token(key.removeprefix("Bearer ").strip(), request)
        if user is not None:
            request.user = user
            audit.bind_actor(user)
            access.enforce(user, request.api_operation_id)
        return user


class SessionCookieAuth(SessionAuth):
    """The signed-in user's session; the CSRF check applies only to a session that is signed in.

    Ninja checks CSRF before it knows whether anyone is signed in, so an anonymous POST was answered
    "CSRF check failed" (403); it is simply unauthenticated (401).
    """

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user:
            access.enforce(user, request.api_operation_id)
        return user


class FieldErrorOut(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    """Every error answer: a stable `code`, a `message` in the user's language, the `field` to fix."""

    code: str
    message: str
    field: str | None = None
    errors: list[FieldErrorOut] | None = None


ERROR_ANSWERS = {
    400: "The input breaks a business rule; `field` names the input to fix.",
    401: "Not signed in, or no valid API token.",
    403: "Signed in without the right to do this.",
    404: "No such object within your scope.",
    409: "The object is not in a state that allows this step.",
    422: "The input does not match the schema; `errors` lists every field.",
    429: "Too many requests; try again after `Retry-After` seconds.",
}


class BankDeskAPI(NinjaAPI):
    """The spec an integrator generates a client from: short stable operation ids
    (`complaints_add_note`) and every error answer documented with the one error schema."""

    def get_openapi_operation_id(self, operation) -> str:
        app = operation.view_func.__module__.split(".")[1]
        return f"{app}_{operation.view_func.__name__}"

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(error_schema.pop("$defs", {}))
        schemas["ErrorOut"] = error_schema
        error_content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, description in ERROR_ANSWERS.items():
                    operation["responses"].setdefault(status, {"description": description, "content": error_content})
        return schema


api = BankDeskAPI(
    title="BankDesk API",
    version="1",
    description="银行客户服务与投诉管理平台 API. Authenticate with a session cookie or `Authorization: Bearer <token>`.",
    auth=[BearerTokenAuth(), SessionCookieAuth()],
    urls_namespace="api",
)


def error(request, status: int, code: str, message: str, field: str | None = None, **extra):
    return api.create_response(request, {"code": code, "message": message, "field": field, **extra}, status=status)


@api.exception_handler(ValidationFailed)
def on_validation_failed(request, exc: ValidationFailed):
    return error(request, 400, exc.code, exc.message, exc.field)


def _field_name(location) -> str | None:
    """("query", "start") → "start"; ("body", "payload", "code") → "code"."""
    parts = list(location)[2:] if location and location[0] == "body" else list(location)[1:]
    return ".".join(str(part) for part in parts) or None


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc: NinjaValidationError):
    details = [{"field": _field_name(item.get("loc", ())), "message": item.get("msg", "")} for item in exc.errors]
    first = details[0] if details else {"field": None, "message": ""}
    if any(item.get("loc", ("",))[0] == "path" for item in exc.errors):
        # A path names an object; one whose id cannot exist (0, beyond 64 bits, not a number) is not found.
        path_field = next(_field_name(item["loc"]) for item in exc.errors if item.get("loc", ("",))[0] == "path")
        return error(request, 404, "not_found", _("Not found."), path_field)
    message = _("Check the input %(field)s: %(problem)s") % {"field": first["field"] or "", "problem": first["message"]}
    return error(request, 422, "invalid", message, first["field"], errors=details)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return error(request, 403, "forbidden", str(exc) or _("You do not have the right to do this."))


@api.exception_handler(NotFound)
@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, "not_found", _("Not found."))


@api.exception_handler(Conflict)
def on_conflict(request, exc: Conflict):
    return error(request, 409, "conflict", exc.message)


@api.exception_handler(RateLimited)
def on_rate_limited(request, exc: RateLimited):
    response = error(request, 429, "rate_limited", exc.message)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    response = error(request, 401, "unauthenticated", _("Sign in, or send a valid API token."))
    response["WWW-Authenticate"] = 'Bearer realm="BankDesk"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return error(request, exc.status_code, "error", str(exc))


def register_routers():
    from bankdesk.core.api import router as core_router
    from bankdesk.knowledge.api import router as knowledge_router
    from bankdesk.orgs.api import router as orgs_router

    api.add_router("/", core_router)
    api.add_router("/", orgs_router)
    api.add_router("/", "bankdesk.complaints.api.complaints.router")
    api.add_router("/", "bankdesk.complaints.api.review.router")
    api.add_router("/", "bankdesk.complaints.api.handling.router")
    api.add_router("/", "bankdesk.complaints.api.decisions.router")
    api.add_router("/", "bankdesk.complaints.api.public.router")
    api.add_router("/", knowledge_router)
    api.add_router("/", "bankdesk.callcenter.api.router")
    api.add_router("/callcenter", "bankdesk.workforce.api.router")
    api.add_router("/", "bankdesk.scorecards.api.router")
    api.add_router("/", "bankdesk.surveys.api.router")
    api.add_router("/", "bankdesk.quality.api.router")
    api.add_router("/", "bankdesk.analytics.api.router")
    api.add_router("/", "bankdesk.remediation.api.router")
    api.add_router("/", "bankdesk.analytics.reports.api.router")


def name_each_operation():
    """Each operation tells its request its id before authentication, which checks the app's access
    declaration for that id (core/access.py) before any input is read."""
    for bound_router in api._get_bound_routers():  # the mounted copies that the URLs serve
        for path_view in bound_router.path_operations.values():
            for operation in path_view.operations:
                operation.run = _naming(operation.run, api.get_openapi_operation_id(operation))


def _naming(run, operation_id: str):
    def run_named(request, *args, **kwargs):
        request.api_operation_id = operation_id
        return run(request, *args, **kwargs)
    return run_named


register_routers()
name_each_operation()
