from datetime import datetime

from ninja import Field, Query, Router, Schema, Status

from bankdesk.core.errors import NotFound
from bankdesk.core.inputs import Id, InputSchema, PageNumber
from bankdesk.core.pagination import paginate
from bankdesk.core.permissions import require_in_scope, roles
from bankdesk.orgs import selectors, services
from bankdesk.orgs.models import ApiToken, OrgUnit
from bankdesk.orgs.permissions import OrgPermission

router = Router(tags=["organisation"])


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]


@router.get("/me", response=MeOut)
def me(request):
    user = request.user
    return {"username": user.username, "display_name": str(user), "roles": sorted(roles(user))}


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    depth: int
    is_active: bool


class UnitPageOut(Schema):
    items: list[UnitOut]
    total: int
    page: int
    page_size: int


class UnitQuery(InputSchema):
    kind: str = ""
    search: str = ""
    under: Id | None = Field(None, description="Only units below this unit id")
    sort: str = "path"
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=200)


def _unit_in_scope(user, unit_id: int, permission=OrgPermission.VIEW_ORG) -> OrgUnit:
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    require_in_scope(user, permission, unit)
    return unit


@router.get("/org/units", response=UnitPageOut)
def list_units(request, query: Query[UnitQuery]):
    under = _unit_in_scope(request.user, query.under) if query.under else None
    units = selectors.visible_units(request.user, kind=query.kind, search=query.search, under=under, sort=query.sort)
    page = paginate(units, query.page, query.page_size)
    return {"items": page.items, "total": page.total, "page": page.number, "page_size": page.size}


@router.get("/org/units/{unit_id}", response=UnitOut)
def get_unit(request, unit_id: Id):
    return _unit_in_scope(request.user, unit_id)


class UnitIn(InputSchema):
    code: str = Field(..., min_length=1, max_length=32)
    name: str = Field(..., min_length=1, max_length=100)
    name_en: str = Field("", max_length=100)
    kind: str
    parent_id: Id


@router.post("/org/units", response={201: UnitOut})
def create_unit(request, payload: UnitIn):
    parent = _unit_in_scope(request.user, payload.parent_id, OrgPermission.MANAGE_ORG)
    unit = services.create_unit(request.user, code=payload.code, name=payload.name, name_en=payload.name_en,
                                kind=payload.kind, parent=parent)
    return Status(201, unit)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime


class TokenCreatedOut(TokenOut):
    token: str = Field(description="Shown once; only a hash is kept")


class TokenIn(InputSchema):
    name: str = Field(..., max_length=100)


@router.get("/tokens", response=list[TokenOut], tags=["tokens"])
def list_tokens(request):
    return selectors.api_tokens_of(request.user)


@router.post("/tokens", response={201: TokenCreatedOut}, tags=["tokens"])
def create_token(request, payload: TokenIn):
    token, raw = services.create_api_token(request.user, payload.name)
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.post("/tokens/{token_id}/revoke", response=TokenOut, tags=["tokens"])
def revoke_token(request, token_id: Id):
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise NotFound()
    return services.revoke_api_token(request.user, token)
