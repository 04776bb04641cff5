"""The words staff see for stored codes (status, channel, severity): the timeline and the CSV export."""

from bankdesk.complaints.models import ContactChannel, NoticeChannel, Severity, Status

STATUS_LABELS = dict(Status.choices)
CHANNEL_LABELS = {**dict(ContactChannel.choices), **dict(NoticeChannel.choices)}
SEVERITY_LABELS = dict(Severity.choices)
