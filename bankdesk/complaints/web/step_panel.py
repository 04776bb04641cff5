"""The complaint page's action panel: for each workflow step, the form that parses it and the service it calls.

Which steps a user sees comes from `state_machine.available_steps`, narrowed by what the record itself says
(a paused clock can only be resumed, an extension is decided only while one is pending ...). The
services check all of it again; the panel only avoids offering what would be refused.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankdesk.complaints import state_machine
from bankdesk.complaints.decisions import approval, callback, communication, regulator_feedback
from bankdesk.complaints.handling import authority, dispatch, investigation
from bankdesk.complaints.models import Complaint, ExtensionKind, RequestStatus
from bankdesk.complaints.review import acceptance, classification, routing
from bankdesk.complaints.review.classification import Classification
from bankdesk.complaints.selectors import visible_complaints
from bankdesk.complaints.web.step_forms import (
    AcceptForm,
    ApproveForm,
    AssistForm,
    CallbackForm,
    CloseUnreachableForm,
    CommunicateForm,
    ContactForm,
    DecideExtensionForm,
    EscalateForm,
    ExtensionForm,
    MergeForm,
    NoteForm,
    PauseForm,
    ProposeForm,
    ReclassifyForm,
    RefuseForm,
    RegulatorFeedbackForm,
    ReopenForm,
    ReturnForm,
    RouteForm,
    ScreenForm,
    VersionedForm,
    WithdrawForm,
    offer_reachable_channels,
)
from bankdesk.core.errors import ValidationFailed
from bankdesk.orgs.models import User


def _route_form(complaint: Complaint, data, initial: dict):
    if data is not None:  # the service checks the handler against the department chosen
        handlers = User.objects.filter(is_active=True)
    elif complaint.lead_department_id:
        handlers = routing.eligible_handlers(complaint, complaint.lead_department).order_by("display_name", "username")
    else:
        handlers = User.objects.none()
    if complaint.lead_department_id:
        initial.update(lead_department=complaint.lead_department_id, handler=complaint.handler_id,
                       assisting_departments=list(complaint.assisting_departments.values_list("pk", flat=True)))
    return RouteForm(data, initial=initial, complaint=complaint, handlers=handlers, auto_id="route_%s")


def _pending_extension(complaint: Complaint):
    return complaint.extension_requests.filter(status=RequestStatus.PENDING).first()


def _communicate_initial(complaint: Complaint) -> dict:
    decision = approval.current_decision(complaint)
    return {"text": communication.decision_notice(complaint, decision)} if decision else {}


def _merge(user, complaint, data):
    into = visible_complaints(user).filter(tracking_number=data["into"].strip().upper()).first()
    if into is None:
        raise ValidationFailed(_("No complaint with this tracking number in your scope."), field="into")
    return acceptance.merge_complaint(user, complaint, into, data["note"], expected_version=data["version"])


def _refuse(user, complaint, data):
    text = data["notice_text"] or acceptance.non_acceptance_notice(complaint, data["reason"])
    return acceptance.refuse_complaint(user, complaint, reason=data["reason"], notice_channel=data["notice_channel"],
                                       notice_text=text, expected_version=data["version"])


def _decide_extension(user, complaint, data):
    request = complaint.extension_requests.filter(pk=data["request"]).first()
    if request is None:
        raise ValidationFailed(_("The extension request is no longer there; reload the complaint."), field="approve")
    return investigation.decide_extension(user, request, approve=data["approve"], note=data["note"],
                                          expected_version=data["version"])


def _open_assists(complaint: Complaint) -> list[str]:
    """The departments asked to assist that have not answered (proposing before they do is confirmed first)."""
    return list(complaint.assist_requests.filter(answered_at__isnull=True).order_by("requested_at")
                .values_list("department__name", flat=True))


@dataclass(frozen=True)
class StepAction:
    form_class: type
    perform: Callable  # (user, complaint, cleaned_data) -> the changed object
    done: str
    initial: Callable = field(default=lambda complaint: {})
    form_kwargs: Callable = field(default=lambda complaint: {})


def _classification(data) -> Classification:
    return Classification(data["business_category"], data["cause"], data["severity"])


def _classification_initial(complaint: Complaint) -> dict:
    return {"business_category": complaint.business_category_id, "cause": complaint.cause_id,
            "severity": complaint.severity}


ACTIONS = {
    "accept": StepAction(AcceptForm, lambda user, c, d: acceptance.accept_complaint(
        user, c, expected_version=d["version"], classification=_classification(d),
        confirm_other_cause=d["confirm_other_cause"]), gettext_lazy("The complaint is accepted."),
                         initial=_classification_initial),
    "reclassify": StepAction(ReclassifyForm, lambda user, c, d: classification.reclassify_complaint(
        user, c, _classification(d), reason=d["reason"], confirm_other_cause=d["confirm_other_cause"],
        expected_version=d["version"]), gettext_lazy("The classification is corrected."),
                             initial=_classification_initial),
    "refuse": StepAction(RefuseForm, _refuse, gettext_lazy(
        "The complaint is not accepted; the notice to the customer is recorded."),
                         form_kwargs=lambda complaint: {"complaint": complaint}),
    "route": StepAction(RouteForm, lambda user, c, d: routing.route_complaint(
        user, c, lead_department=d["lead_department"], assisting=list(d["assisting_departments"]),
        handler=d["handler"], expected_version=d["version"]), gettext_lazy("The complaint is routed.")),
    "merge": StepAction(MergeForm, _merge, gettext_lazy("The complaint is merged.")),
    "withdraw": StepAction(WithdrawForm, lambda user, c, d: acceptance.withdraw_complaint(
        user, c, d["note"], expected_version=d["version"]), gettext_lazy("The withdrawal is recorded.")),
    "sign_for": StepAction(VersionedForm, lambda user, c, d: dispatch.sign_for(
        user, c, expected_version=d["version"]), gettext_lazy("The complaint is signed for; the dispatch clock "
                                                              "stopped.")),
    "start": StepAction(VersionedForm, lambda user, c, d: investigation.start_handling(
        user, c, expected_version=d["version"]), gettext_lazy("Handling has started.")),
    "note": StepAction(NoteForm, lambda user, c, d: investigation.add_note(user, c, d["text"]),
                       gettext_lazy("The note is added.")),
    "contact": StepAction(ContactForm, lambda user, c, d: investigation.log_contact(
        user, c, channel=d["channel"], summary=d["summary"]), gettext_lazy("The contact is logged.")),
    "assist": StepAction(AssistForm, lambda user, c, d: investigation.request_assistance(
        user, c, department=d["department"], question=d["question"]),
                         gettext_lazy("The assisting department is asked; its answer is due on its own clock.")),
    "pause": StepAction(PauseForm, lambda user, c, d: investigation.pause_clock(
        user, c, reason=d["reason"], note=d["note"], notice_channel=d["notice_channel"],
        notice_text=d["notice_text"], expected_version=d["version"]), gettext_lazy("The clock is paused.")),
    "resume": StepAction(VersionedForm, lambda user, c, d: investigation.resume_clock(
        user, c, expected_version=d["version"]), gettext_lazy("The clock runs again; its deadline moved by the "
                                                              "time paused.")),
    "extend": StepAction(ExtensionForm, lambda user, c, d: investigation.request_extension(
        user, c, reason=d["reason"], notice_channel=d["notice_channel"], notice_text=d["notice_text"],
        expected_version=d["version"]), gettext_lazy("The extension request awaits approval.")),
    "decide_extension": StepAction(DecideExtensionForm, _decide_extension, gettext_lazy(
        "The extension request is decided."),
                                   initial=lambda c: {"request": getattr(_pending_extension(c), "pk", None)}),
    "propose": StepAction(ProposeForm, lambda user, c, d: approval.propose_decision(
        user, c, finding=d["finding"], basis=d["basis"], remedies=d["remedies"], closure_code=d["closure_code"],
        fee_refund_amount=d["fee_refund_amount"], compensation_amount=d["compensation_amount"],
        expected_version=d["version"]),
                          gettext_lazy("The decision is proposed and awaits approval."),
                          form_kwargs=lambda complaint: {"open_assists": _open_assists(complaint)}),
    "approve": StepAction(ApproveForm, lambda user, c, d: approval.approve_decision(
        user, c, note=d["note"], expected_version=d["version"]), gettext_lazy("The decision is approved.")),
    "return": StepAction(ReturnForm, lambda user, c, d: approval.return_decision(
        user, c, note=d["note"], expected_version=d["version"]), gettext_lazy("The decision is returned.")),
    "communicate": StepAction(CommunicateForm, lambda user, c, d: communication.communicate_decision(
        user, c, channel=d["channel"], text=d["text"], expected_version=d["version"]),
                              gettext_lazy("The customer is told; the decision letter is stored and the callback clock runs."),
                              initial=_communicate_initial),
    "callback": StepAction(CallbackForm, lambda user, c, d: callback.record_callback(
        user, c, reached=d["reached"], satisfaction=d["satisfaction"], reason=d["reason"],
        reopen_kind=d["reopen_kind"], expected_version=d["version"]), gettext_lazy("The callback is recorded.")),
    "close_unreachable": StepAction(CloseUnreachableForm, lambda user, c, d: callback.close_unreachable(
        user, c, note=d["note"], expected_version=d["version"]), gettext_lazy("The complaint is closed.")),
    "screen": StepAction(ScreenForm, lambda user, c, d: callback.screen_dissatisfaction(
        user, c, outcome=d["outcome"], reason=d["reason"], reopen_kind=d["reopen_kind"],
        notice_channel=d["notice_channel"], notice_text=d["notice_text"], expected_version=d["version"]),
                         gettext_lazy("The screening is recorded.")),
    "reopen": StepAction(ReopenForm, lambda user, c, d: callback.reopen_complaint(
        user, c, kind=d["kind"], reason=d["reason"], expected_version=d["version"]),
                         gettext_lazy("The complaint is reopened.")),
    "regulator_feedback": StepAction(RegulatorFeedbackForm, lambda user, c, d: regulator_feedback.record_regulator_feedback(
        user, c, content=d["content"], sent_at=d["sent_at"], expected_version=d["version"]),
                                     gettext_lazy("The feedback to the regulator is recorded.")),
    "escalate": StepAction(EscalateForm, lambda user, c, d: investigation.escalate(
        user, c, reason=d["reason"], expected_version=d["version"]), gettext_lazy("The complaint is escalated.")),
}


def step_form(name: str, complaint: Complaint, data=None):
    action = ACTIONS[name]
    initial = {"version": complaint.version, **action.initial(complaint)}
    if name == "route":
        return _route_form(complaint, data, initial)
    form = action.form_class(data, initial=initial, auto_id=f"{name}_%s", **action.form_kwargs(complaint))
    offer_reachable_channels(form, complaint)
    return form


def _applies(user, name: str, complaint: Complaint) -> bool:
    if name == "pause":
        return complaint.paused_since is None
    if name == "resume":
        return complaint.paused_since is not None
    if name == "extend":
        return complaint.extension_level < 2 and not complaint.external_deadline and \
            _pending_extension(complaint) is None
    if name == "decide_extension":
        pending = _pending_extension(complaint)
        return pending is not None and (pending.kind != ExtensionKind.FURTHER or
                                        authority.may_approve_further_extension(user, complaint))
    if name == "close_unreachable":
        return callback.may_close_unreachable(complaint)
    return True


def offered_steps(user, complaint: Complaint) -> list[str]:
    return [name for name in state_machine.available_steps(user, complaint) if _applies(user, name, complaint)]
