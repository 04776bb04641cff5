"""Helpers every web view shares: calling a service from a form, paging a list."""

from django.http import Http404

from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.core.inputs import MAX_PAGE
from bankdesk.core.pagination import paginate


def call_service(form, action):
    """Run `action()`; a ValidationFailed becomes a form error and the form stays filled."""
    try:
        return action()
    except ValidationFailed as failure:
        form.add_error(failure.field if failure.field in form.fields else None, failure.message)
        return None


def page_number(request) -> int:
    """The page asked for, from 1 to MAX_PAGE (a larger number would overflow the query's OFFSET)."""
    try:
        return min(max(1, int(request.GET.get("page", 1))), MAX_PAGE)
    except ValueError:
        return 1


def page_of(request, queryset, size: int = 25):
    return paginate(queryset, page_number(request), size)


class ServiceErrorMiddleware:
    """A service's NotFound is a 404 page, whichever view let it through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(exception.message)
        return None
