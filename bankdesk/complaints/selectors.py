"""Reads of complaints, always limited to what the user may see."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from django.db import connection
from django.db.models import BooleanField, Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from bankdesk.complaints import page_panels, recusal
from bankdesk.complaints.models import (
    OPEN_STATUSES,
    AssistRequest,
    BusinessCategory,
    CallerEnquiry,
    Clock,
    ClockKind,
    Complaint,
    DeadlineState,
    Decision,
    DecisionStatus,
    ExtensionRequest,
    RequestStatus,
    Status,
)
from bankdesk.core.errors import NotFound
from bankdesk.core.models import AuditEvent
from bankdesk.core.pagination import ordering
from bankdesk.core.prepared import PreparedRead
from bankdesk.core.permissions import require, scope_paths, scope_q
from bankdesk.core.pii import blind_index
from bankdesk.orgs.models import PATH_SEGMENT_WIDTH, OrgUnit, UnitKind, User, next_path
from bankdesk.complaints.permissions import ComplaintPermission

SORTS = {"received_at": ("received_at", "id"), "severity": ("severity", "received_at"),
         "acceptance_deadline": ("acceptance_deadline", "id"), "tracking_number": ("tracking_number",)}
LIST_RELATED = ("channel", "unit", "business_category", "business_category__parent", "cause", "handler",
                "lead_department")


@dataclass
class ComplaintFilter:
    status: str = ""
    channel: int | None = None
    business_category: int | None = None
    severity: int | None = None
    unit: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    overdue: bool = False
    deadline_state: int | None = None
    archived: bool | None = None  # None: both; archived complaints stay listed and searchable
    search: str = ""
    sort: str = "-received_at"


def business_category_name(category_id: str) -> str:
    """The name of a business category by its id as a form sends it ("" for none): the words knowledge
    suggestions search for beside a complaint's text."""
    category = BusinessCategory.objects.filter(pk=category_id).first() if str(category_id).isdigit() else None
    return category.name if category else ""


def _visible(user, permission: str) -> Q:
    require(user, permission)
    return scope_q(user, permission, "unit_path") | scope_q(user, permission, "lead_department_path") | Q(
        handler=user)


def visible_complaints(user, permission: str = ComplaintPermission.VIEW_COMPLAINTS):
    """Complaints about a unit in the user's scope, led by a department in it, or handled by the user."""
    return Complaint.objects.filter(_visible(user, permission))


def with_acceptance_deadline(complaints):
    """The complaints with their acceptance clock's deadline, `acceptance_deadline` and
    `acceptance_deadline_provisional`, read in the same query (the clock is the one place it is kept). As
    subqueries, not a join: a page's COUNT leaves them out (joined, the count of a handler's 8,500 open
    complaints at a million took 35 ms instead of 2)."""
    clock = Clock.objects.filter(complaint_id=OuterRef("pk"), kind=ClockKind.ACCEPTANCE).order_by()
    return complaints.annotate(acceptance_deadline=Subquery(clock.values("due_at")[:1]),
                               acceptance_deadline_provisional=Subquery(clock.values("provisional")[:1]))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def complaint_list(user, filters: ComplaintFilter):
    complaints = with_acceptance_deadline(visible_complaints(user))
    if filters.status:
        complaints = complaints.filter(status=filters.status)
    if filters.channel:
        complaints = complaints.filter(channel_id=filters.channel)
    if filters.business_category:
        complaints = complaints.filter(Q(business_category_id=filters.business_category)
                                       | Q(business_category__parent_id=filters.business_category))
    if filters.severity:
        complaints = complaints.filter(severity=filters.severity)
    if filters.unit:
        unit = OrgUnit.objects.filter(pk=filters.unit).first()
        complaints = complaints.filter(unit_path__gte=unit.path, unit_path__lt=next_path(unit.path)) if unit \
            else complaints.none()
    if filters.received_from:
        complaints = complaints.filter(received_at__gte=_day_start(filters.received_from))
    if filters.received_to:
        complaints = complaints.filter(received_at__lt=_day_start(filters.received_to + timedelta(days=1)))
    if filters.overdue:
        complaints = complaints.filter(status=Status.REGISTERED, acceptance_deadline__lt=timezone.now())
    if filters.deadline_state is not None:
        complaints = complaints.filter(deadline_state=filters.deadline_state, status__in=OPEN_STATUSES)
    if filters.archived is not None:
        complaints = complaints.filter(archived_at__isnull=not filters.archived)
    if filters.search:
        complaints = _search(complaints, filters.search.strip())
    return complaints.select_related(*LIST_RELATED).order_by(*ordering(filters.sort, SORTS, "-received_at"))


TRACKING_FRAGMENT = re.compile(r"^(?:TS)?-?[\d-]{4,}$")


def _search(complaints, term: str):
    """What staff type: a tracking number, whole or in part (TS-20261127-000123, 20261127-000123,
    000123); a regulator's reference; the complainant's name, exactly; or a phone number, through
    its blind index."""
    digits = "".join(c for c in term if c.isdigit())
    number = term.upper().replace(" ", "")
    condition = Q(tracking_number=number) | Q(external_reference=term) | Q(complainant_name=term)
    if TRACKING_FRAGMENT.match(number):
        fragment = number.removeprefix("TS").strip("-")
        if len(fragment) == 14 and fragment.isdigit():  # the date and the serial without the dash
            fragment = f"{fragment[:8]}-{fragment[8:]}"
        condition |= Q(tracking_number__contains=fragment)
    if len(digits) >= 7:
        condition |= Q(phone_index=blind_index(term, "phone"))
    return complaints.filter(condition)


def intake_queue(user, filters: ComplaintFilter):
    """Registered complaints awaiting acceptance review, and accepted ones awaiting routing by hand."""
    require(user, ComplaintPermission.REVIEW_COMPLAINTS)
    queue = complaint_list(user, filters).filter(status__in=[Status.REGISTERED, Status.ACCEPTED])
    if not filters.sort or filters.sort == "-received_at":
        queue = queue.order_by("acceptance_deadline", "id")
    return queue


def customer_history(user, phone: str, limit: int = 20):
    """Earlier complaints from a phone number, bank-wide, for whoever registers a new one.

    Only the tracking number, dates, status and category are shown: enough to spot a repeat or a
    duplicate without opening records outside the user's scope.
    """
    require(user, ComplaintPermission.REGISTER_COMPLAINT)
    return (Complaint.objects.filter(phone_index=blind_index(phone, "phone"))
            .select_related("business_category", "unit").order_by("-received_at")
            .only("id", "tracking_number", "received_at", "status", "business_category__name", "unit__name",
                  "unit_path", "lead_department_path", "handler_id")[:limit])


OTHER_COMPLAINT_SHOWN = ("id", "tracking_number", "received_at", "status")  # a complaint named on another's page


# Whether possible_duplicates, before the user's scope, finds any: read with the complaint (complaint_page), so the
# page asks for the duplicates the user may see only when there are some. Constants of the code only.
OPEN_DUPLICATES = RawSQL(
    'EXISTS (SELECT 1 FROM "complaints_complaint" other WHERE other."phone_index" = '
    '"complaints_complaint"."phone_index" AND other."business_category_id" = '
    '"complaints_complaint"."business_category_id" AND other."status" IN ({}) AND other."id" <> '
    '"complaints_complaint"."id")'.format(", ".join(f"'{status}'" for status in OPEN_STATUSES)), [],
    output_field=BooleanField())


def possible_duplicates(complaint: Complaint):
    """Open complaints from the same phone in the same business category: candidates to merge (as the complaint
    page lists them: number, date, status)."""
    return (Complaint.objects.filter(phone_index=complaint.phone_index, business_category=complaint.business_category,
                                     status__in=OPEN_STATUSES).exclude(pk=complaint.pk)
            .only(*OTHER_COMPLAINT_SHOWN).order_by("received_at"))


def assisting_complaint_ids(user):
    """Complaints an assisting department in the user's reach has been asked about."""
    return AssistRequest.objects.filter(scope_q(user, ComplaintPermission.HANDLE_COMPLAINTS, "department__path")).values(
        "complaint_id")


def named_assisting_complaint_ids(user):
    """Complaints routed with an assisting department in the user's reach (it is told on assignment)."""
    return Complaint.assisting_departments.through.objects.filter(
        scope_q(user, ComplaintPermission.HANDLE_COMPLAINTS, "orgunit__path")).values("complaint_id")


def _detail_read(user_id: int, complaint_id: int):
    """One complaint's read, with what its page shows; who may see it is asked of the row read (`_opened`)."""
    # Of the complaints it merged into or repeats, only the tracking numbers: not two more complaints of some
    # sixty columns each to compile, read and decrypt. No ORDER BY: it makes Django compare each of the ~270
    # selected columns with it.
    return with_acceptance_deadline(Complaint.objects.filter(pk=complaint_id)).annotate(
        **recusal.recused_annotation(user_id)).select_related(
        *LIST_RELATED, *PEOPLE_RELATED, "non_acceptance_reason", "closure_code").annotate(
        merged_into_number=F("merged_into__tracking_number"), repeat_of_number=F("repeat_of__tracking_number")
    ).defer(*_unshown_person_fields("handler", *PEOPLE_RELATED)).order_by()


DETAIL_READ = PreparedRead(_detail_read, keys=2)


PERSON_SHOWN = {"id", "username", "display_name"}  # all a complaint shows of the people on it (User.__str__)
# The people the complaint's record names besides its handler (LIST_RELATED), read with it: reviewed_by was not,
# and cost a query of the whole user row, mobile number decrypted, on most pages.
PEOPLE_RELATED = ("registered_by", "staff_concerned", "signed_for_by", "reviewed_by")


def _unshown_person_fields(*relations: str) -> list[str]:
    """The columns of these related users a complaint does not show: not read, nor their mobile decrypted."""
    return [f"{relation}__{field.name}" for relation in relations for field in User._meta.concrete_fields
            if field.name not in PERSON_SHOWN]


def _may_see(user, complaint: Complaint) -> bool:
    """The rule of `visible_complaints`, asked of the row at hand (about or led by a unit in the user's scope, or
    handled by the user), or else an assisting department in the user's reach works on it (asked of the database
    only then). Written into the query, the rule cost about 1 ms of compiling on every complaint page."""
    if complaint.handler_id == user.pk:
        return True
    roots = scope_paths(user, ComplaintPermission.VIEW_COMPLAINTS)
    if any(path.startswith(root) for root in roots for path in (complaint.unit_path, complaint.lead_department_path)):
        return True
    return (assisting_complaint_ids(user).filter(complaint_id=complaint.pk).exists()
            or named_assisting_complaint_ids(user).filter(complaint_id=complaint.pk).exists())


def _found(complaints, complaint_id: int) -> Complaint:
    # Not .first(): an ORDER BY makes Django compare each of the selected columns with it, which costs
    # more than running the query.
    found = list(complaints.filter(pk=complaint_id).order_by())
    if not found:
        raise NotFound()
    return found[0]


def _opened(user, complaint: Complaint) -> Complaint:
    if not _may_see(user, complaint):
        raise NotFound()  # outside the user's reach: as if it did not exist
    recusal.require_not_recused(user, complaint)  # 403: the staff concerned never open its record
    return complaint


def complaint_detail(user, complaint_id: int) -> Complaint:
    """One complaint the user may see, or the one their department is asked to assist on; never to a user
    concerned by it (recusal)."""
    return _opened(user, _prepared_found(DETAIL_READ, user, complaint_id))


def _prepared_found(read: PreparedRead, user, complaint_id) -> Complaint:
    require(user, ComplaintPermission.VIEW_COMPLAINTS)
    found = read(user.pk, int(complaint_id))
    if not found:
        raise NotFound()
    return found[0]


# The complaint page's lists that most complaints have no entry in yet.
PAGE_RELATIONS = ("representatives", "attachments", "notices", "assisting_departments", "merged", "notes", "contacts",
                  "enquiries", "assist_requests", "decisions", "extension_requests", "callbacks", "screenings", "pauses",
                  "review_requests", "regulator_feedback")


def _entries_test(relation: str) -> str:
    """SQL: does the complaint of the outer row have an entry in `relation` (a reverse foreign key or a
    many-to-many of Complaint)?"""
    quote = connection.ops.quote_name
    field = Complaint._meta.get_field(relation)
    if field.many_to_many:
        table, column = field.remote_field.through._meta.db_table, field.m2m_column_name()
    else:
        table, column = field.related_model._meta.db_table, field.field.column
    # the inner table under its own alias: `merged` lists complaints too
    return (f"EXISTS (SELECT 1 FROM {quote(table)} entry WHERE entry.{quote(column)} = "
            f"{quote(Complaint._meta.db_table)}.{quote('id')})")


@cache
def _entries_mask(relations: tuple[str, ...]) -> RawSQL:
    """One integer whose bit i tells whether relations[i] has entries. Written once per process: as nineteen
    Exists() annotations Django built and compiled some 5 ms of subqueries on every page, for 0.1 ms of SQL."""
    bits = " + ".join(f"(CASE WHEN {_entries_test(relation)} THEN {1 << bit} ELSE 0 END)"
                      for bit, relation in enumerate(relations))
    return RawSQL(f"({bits})", [], output_field=IntegerField())


def complaint_page(user, complaint_id: int) -> Complaint:
    """`complaint_detail`, with `has_<relation>` telling for each of PAGE_RELATIONS whether it has entries, and
    `has_open_duplicates`: the page then asks only for the lists it will show (see `related_entries`)."""
    complaint = _prepared_found(PAGE_READ, user, complaint_id)
    for bit, relation in enumerate(_page_relations()):
        setattr(complaint, f"has_{relation}", bool(complaint.entries_mask & 1 << bit))
    return _opened(user, complaint)


@cache
def _page_relations() -> tuple[str, ...]:
    """The relations whose bits PAGE_READ's compiled mask holds, in its order: the other apps' panels register
    theirs in `ready()`, before the first page is read, and the list is then fixed as the compiled SQL is."""
    return tuple(dict.fromkeys((*PAGE_RELATIONS, *page_panels.relations())))


def _page_read(user_id: int, complaint_id: int):
    return _detail_read(user_id, complaint_id).annotate(entries_mask=_entries_mask(_page_relations()),
                                                        has_open_duplicates=OPEN_DUPLICATES)


PAGE_READ = PreparedRead(_page_read, keys=2)


class NoEntries:
    """What `related_entries` gives for a list `complaint_page` found empty: it takes the queryset calls the page
    makes (select_related, only, order_by, `&` …) and reads as empty, without Django compiling a query for it
    (a `.none()` queryset still builds its whole select before finding it has nothing to ask)."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._chain

    def _chain(self, *args, **kwargs):
        return self

    def __and__(self, other):
        return self

    __rand__ = __or__ = __and__

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return False

    def count(self) -> int:
        return 0

    def exists(self) -> bool:
        return False

    def first(self):
        return None


NO_ENTRIES = NoEntries()


def related_entries(complaint: Complaint, relation: str):
    """The complaint's `relation`, as a queryset; `NO_ENTRIES`, never compiled nor run, when `complaint_page`
    found none."""
    if not getattr(complaint, f"has_{relation}", True):
        return NO_ENTRIES
    return getattr(complaint, relation).all()


def timeline(complaint: Complaint):
    return AuditEvent.objects.filter(object_type="complaints.complaint", object_id=str(complaint.pk)).order_by(
        "occurred_at", "id")


def public_status(tracking_number: str, phone: str) -> Complaint | None:
    """For the customer's tracking page: the complaint only when number and phone belong together."""
    return (Complaint.objects.filter(tracking_number=tracking_number.strip().upper(),
                                     phone_index=blind_index(phone, "phone"))
            .select_related("business_category").first())


def by_tracking_number(tracking_number: str) -> Complaint | None:
    """The customer's receipt: the complaint this browser has just filed."""
    return Complaint.objects.filter(tracking_number=tracking_number).only("id", "tracking_number", "status").first()


def tracked_complaint(complaint_id: int) -> Complaint | None:
    """The complaint this browser opened with its number and phone (the id is kept in the session)."""
    return Complaint.objects.filter(pk=complaint_id).select_related("non_acceptance_reason", "merged_into").first()


# --- Work lists: the handler's own work, the department head's team ------------------------------------------------

WORK_SORTS = {"current_deadline": ("current_deadline", "id"), "received_at": ("received_at", "id"),
              "severity": ("severity", "current_deadline"), "tracking_number": ("tracking_number",)}


@dataclass
class WorkFilter:
    state: int | None = None
    status: str = ""
    sort: str = "current_deadline"


def _work_filtered(complaints, filters: WorkFilter):
    complaints = with_acceptance_deadline(complaints)
    if filters.state is not None:
        complaints = complaints.filter(deadline_state=filters.state)
    if filters.status:
        complaints = complaints.filter(status=filters.status)
    return complaints.select_related(*LIST_RELATED).order_by(*ordering(filters.sort, WORK_SORTS, "current_deadline"))


# The open statuses written into the SQL, not passed as parameters: SQLite uses a partial index (here
# complaint_open_work_idx) only for a query whose condition is literally the index's. Constants of the code only.
OPEN_STATUS_CONDITION = RawSQL('"complaints_complaint"."status" IN ({})'.format(
    ", ".join(f"'{status}'" for status in OPEN_STATUSES)), [], output_field=BooleanField())


def my_work(user, filters: WorkFilter):
    """The handler's open complaints, what is due first on top (index complaint_open_work_idx)."""
    require(user, ComplaintPermission.HANDLE_COMPLAINTS)
    return _work_filtered(Complaint.objects.filter(OPEN_STATUS_CONDITION, handler=user), filters)


def assist_requests_for(user):
    """Unanswered requests to the assisting departments in the user's reach, oldest first."""
    require(user, ComplaintPermission.HANDLE_COMPLAINTS)
    return (AssistRequest.objects.filter(scope_q(user, ComplaintPermission.HANDLE_COMPLAINTS, "department__path"),
                                         answered_at__isnull=True, complaint__status__in=OPEN_STATUSES)
            .select_related("complaint", "department").order_by("requested_at", "id"))


def _team(user):
    require(user, ComplaintPermission.APPROVE_DECISIONS)
    return Complaint.objects.filter(scope_q(user, ComplaintPermission.APPROVE_DECISIONS, "lead_department_path"),
                                    status__in=OPEN_STATUSES)


def team_load(user) -> list[dict]:
    """Open, due-soon and overdue complaints per handler of the departments the head approves for."""
    return list(_team(user).values("handler", "handler__display_name", "handler__username").annotate(
        open_count=Count("id"), warned_count=Count("id", filter=Q(deadline_state=DeadlineState.WARNED)),
        overdue_count=Count("id", filter=Q(deadline_state=DeadlineState.OVERDUE)))
        .order_by("-overdue_count", "-warned_count", "-open_count", "handler"))


def team_work(user, filters: WorkFilter):
    return _work_filtered(_team(user), filters)


def awaiting_approval(user):
    """Decisions proposed and extensions requested in the head's reach, for their approval."""
    return _team(user).filter(Q(status=Status.DECISION_PROPOSED) | Q(
        pk__in=ExtensionRequest.objects.filter(status=RequestStatus.PENDING).values("complaint_id"))).select_related(
        *LIST_RELATED).order_by("current_deadline", "id")


# --- The agent's desk: a caller's complaints, read-only ----------------------------------------------------------

INSTITUTION_KINDS = (UnitKind.HEAD_OFFICE, UnitKind.BRANCH, UnitKind.SUB_BRANCH)
SERVING_KINDS = (UnitKind.CALL_CENTER, UnitKind.DEPARTMENT)
DESK_COLUMNS = ("id", "tracking_number", "status", "received_at", "current_deadline", "deadline_state",
                "business_category__name", "unit_path", "lead_department_path", "archived_at")


def desk_paths(user) -> list[str]:
    """Where the user's desk reaches. An agent answers the customers of the bank or branch its call center
    serves: an assignment at a call center (or a department) reaches the nearest head office, branch or
    sub-branch above it; an assignment elsewhere reaches its subtree, as every right does. One query."""
    paths = scope_paths(user, ComplaintPermission.ANSWER_CALLERS)
    above = {path[:end] for path in paths for end in range(PATH_SEGMENT_WIDTH, len(path) + 1, PATH_SEGMENT_WIDTH)}
    kinds = dict(OrgUnit.objects.filter(path__in=above).values_list("path", "kind")) if paths else {}
    reach = set()
    for path in paths:
        if kinds.get(path) in SERVING_KINDS:
            ancestors = (path[:end] for end in range(len(path) - PATH_SEGMENT_WIDTH, 0, -PATH_SEGMENT_WIDTH))
            path = next((p for p in ancestors if kinds.get(p) in INSTITUTION_KINDS), path)
        reach.add(path)
    return sorted(reach)


def desk_complaints(user):
    """The complaints the user's desk reaches (`desk_paths`, by the unit concerned or the lead department), and
    those the user registered; 403 without the right."""
    require(user, ComplaintPermission.ANSWER_CALLERS)
    condition = Q(registered_by=user)
    for path in desk_paths(user):
        end = next_path(path)
        condition |= Q(unit_path__gte=path, unit_path__lt=end) | Q(lead_department_path__gte=path,
                                                                   lead_department_path__lt=end)
    return Complaint.objects.filter(condition)


def desk_find(user, *, phone: str = "", tracking_number: str = "", limit: int = 20):
    """The caller's complaints by tracking number, else by phone (blind index), newest first."""
    complaints = desk_complaints(user)
    if tracking_number.strip():
        complaints = complaints.filter(tracking_number=tracking_number.strip().upper())
    elif phone.strip():
        complaints = complaints.filter(phone_index=blind_index(phone, "phone"))
    else:
        return Complaint.objects.none()
    return complaints.select_related("business_category").only(*DESK_COLUMNS).order_by("-received_at", "-id")[:limit]


@dataclass(frozen=True)
class DeskComplaint:
    """What an agent may tell the caller: the complaint's stage and dates, the decision, the next deadline."""

    complaint: Complaint
    decision: Decision | None  # the approved or communicated decision, if any
    enquiries: list  # earlier calls about it


def desk_complaint(user, complaint_id: int) -> Complaint:
    """One complaint the user's desk reaches, with what its read-only page shows; 404 outside the reach."""
    return _found(desk_complaints(user).select_related(
        "business_category", "unit", "lead_department", "closure_code", "non_acceptance_reason", "merged_into").only(
        *DESK_COLUMNS, "complainant_name", "registered_at", "accepted_at", "routed_at", "communicated_at",
        "closed_at", "unit__name", "lead_department__name", "closure_code__name", "non_acceptance_reason__name",
        "merged_into__tracking_number", "handler_id", "unit_id"), complaint_id)


def desk_view(user, complaint_id: int, enquiries: int = 10) -> DeskComplaint:
    """`desk_complaint` with its decision and the latest calls about it: three queries."""
    complaint = desk_complaint(user, complaint_id)
    decision = (Decision.objects.filter(complaint=complaint, status__in=[DecisionStatus.APPROVED,
                                                                        DecisionStatus.COMMUNICATED])
                .select_related("closure_code").order_by("-proposed_at", "-id").first())
    calls = list(CallerEnquiry.objects.filter(complaint=complaint).select_related("staff")
                 .only("text", "created_at", "staff__username", "staff__display_name").order_by("-created_at", "-id")
                 [:enquiries])
    return DeskComplaint(complaint, decision, calls)
