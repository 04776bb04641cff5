"""The dashboards: headline figures against their references, the trend, breakdowns and the links to the
complaints behind each figure."""

import pytest
from django.urls import reverse

from bankdesk.analytics.tests.test_indicators import cohort, period  # noqa: F401  (fixtures)


def _page(client, period, **params):  # noqa: F811
    query = {"received_from": period.first.isoformat(), "received_to": period.last.isoformat(), **params}
    response = client.get(reverse("analytics:dashboard"), query)
    assert response.status_code == 200
    return response


def test_management_board_with_references_and_links(desk, viewers, cohort, period, logged_in):  # noqa: F811
    response = _page(logged_in(viewers.management), period)
    html = response.content.decode()
    assert 'data-indicator="volume">6<' in html
    assert 'data-indicator="on_time_closure_rate">66.7%' in html and "≥ 95%" in html
    link = f"/complaints/?received_from={period.first.isoformat()}&amp;received_to={period.last.isoformat()}"
    assert link in html
    assert f"{link}&amp;channel=" in html and f"{link}&amp;business_category=" in html
    assert f"{link}&amp;unit={desk.bank.branch_a.pk}" in html  # the units per 10,000 customers link their list
    trend = response.context["trend"]
    # the whole month: the six of the period and the seventh, of the day after it
    assert trend["x"] == [f"{period.first:%Y-%m}"] and trend["series"][0]["data"] == [7]
    assert len(trend["series"]) == 1
    assert 'id="analytics-trend-data"' in html


def test_the_linked_list_holds_the_figure(viewers, cohort, period, logged_in):  # noqa: F811
    client = logged_in(viewers.management)
    response = _page(client, period)
    by_channel = response.context["breakdowns"][1][1]  # all six came by the hotline
    row = by_channel[0]
    assert len(by_channel) == 1 and row["count"] == 6 and "channel=" in row["link"]
    listed = client.get(row["link"].replace("/complaints/", "/api/complaints"))
    assert listed.json()["total"] == row["count"]


@pytest.mark.parametrize("user, board", [("management", "management"), ("head_a", "department"),
                                         ("cp_b", "consumer_protection")])
def test_each_role_gets_its_board_in_its_scope(viewers, cohort, period, logged_in, user, board):  # noqa: F811
    response = _page(logged_in(getattr(viewers, user)), period)
    assert response.context["board"].key == board
    expected = {"management": 6, "head_a": 4, "cp_b": 2}[user]
    assert response.context["headline"][0].value == expected


def test_an_other_branch_unit_is_not_found(desk, viewers, cohort, period, logged_in):  # noqa: F811
    client = logged_in(viewers.head_a)
    response = client.get(reverse("analytics:dashboard"), {"unit": desk.bank.outlet_b.code})
    assert response.status_code == 404


def test_teller_has_no_dashboard(desk, logged_in):
    assert logged_in(desk.teller).get(reverse("analytics:dashboard")).status_code == 403


def test_queries_do_not_grow_with_the_data(viewers, cohort, period, logged_in,  # noqa: F811
                                           django_assert_max_num_queries):
    client = logged_in(viewers.management)
    _page(client, period)
    with django_assert_max_num_queries(40):
        _page(client, period)


def test_the_dashboard_exported_in_the_background_holds_its_figures(viewers, cohort, period, logged_in, settings,  # noqa: F811
                                                                    django_capture_on_commit_callbacks, tmp_path):
    """Kind analytics.dashboard: the XLSX holds the headline figures and the breakdowns, the PDF the same in
    Chinese with the charts; the page's filters are the export's."""
    import io
    import shutil
    import subprocess

    from openpyxl import load_workbook

    from bankdesk.core.models import ExportJob

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = logged_in(viewers.management)
    query = f"received_from={period.first.isoformat()}&received_to={period.last.isoformat()}"
    assert 'value="analytics.dashboard"' in _page(client, period).content.decode()
    files = {}
    for file_format in ("xlsx", "pdf"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("core:export_request"), {"kind": "analytics.dashboard", "format": file_format,
                                                         "query": query})
        job = ExportJob.objects.order_by("-id").first()
        assert job.status == "succeeded", job.error
        files[file_format] = b"".join(client.get(reverse("core:export_download", args=[job.pk])).streaming_content)
    workbook = load_workbook(io.BytesIO(files["xlsx"]))
    headline = {row[0]: row[1] for row in workbook["指标"].iter_rows(min_row=2, values_only=True)}
    assert 6 in headline.values()  # the volume
    assert "66.7%" in headline.values()
    by_channel = list(workbook["按渠道"].iter_rows(min_row=2, values_only=True))
    assert by_channel == [("客服热线", 6)]
    if shutil.which("pdftotext"):
        path = tmp_path / "dashboard.pdf"
        path.write_bytes(files["pdf"])
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                              text=True).stdout
        flat = "".join(text.split())
        assert "投诉统计" in flat and "按渠道" in flat and "客服热线" in flat and "66.7%" in flat
    refused = logged_in(viewers.head_a).post(reverse("core:export_request"), {
        "kind": "analytics.dashboard", "format": "csv", "query": "unit=B"})
    assert refused.status_code == 404


def test_the_trend_counts_each_month_by_china_time(desk, viewers, complain):
    """Each month from 00:00 on its first day, China time, to the next: the complaint a second before midnight
    counts for the month before (the count per month is read differently on SQLite and PostgreSQL)."""
    from datetime import date, timedelta

    from bankdesk.analytics import figures
    from bankdesk.analytics.periods import containing, series
    from bankdesk.analytics.tests.conftest import china

    months = series("month", containing("month", date.today().replace(day=1) - timedelta(days=1)), 3)
    complain(china(months[0].first, 0, 0, 0))
    complain(china(months[0].last, 23, 59, 59))
    complain(china(months[1].first, 0, 0, 0), unit=desk.bank.outlet_b)
    complain(china(months[2].first, 0, 0, 0) - timedelta(seconds=1))  # still the second month
    complain(china(months[2].last, 23, 59, 59), unit=desk.bank.outlet_b)
    complain(china(months[2].last + timedelta(days=1), 0, 0, 0))  # after the three months

    assert figures.volume_per_period(viewers.management, months, desk.bank.root) == {
        months[0].first: 2, months[1].first: 2, months[2].first: 1}
    assert figures.volume_per_period(viewers.management, months, desk.bank.outlet_b) == {
        months[0].first: 0, months[1].first: 1, months[2].first: 1}
    assert figures.volume_per_period(viewers.cp_b, months, desk.bank.root) == {  # the officer's scope still holds
        months[0].first: 0, months[1].first: 1, months[2].first: 1}
