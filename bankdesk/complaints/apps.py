from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "bankdesk.complaints"
    verbose_name = _("Complaint management")

    def ready(self):
        from datetime import timedelta

        from bankdesk.complaints import cached_lists, config, permissions, rule_settings, selectors, tasks, workspace  # noqa: F401  (config registers the editable tables)
        from bankdesk.complaints import demo as complaints_demo
        from bankdesk.complaints.audit_actions import ComplaintAction
        from bankdesk.complaints.permissions import ComplaintPermission as P
        from bankdesk.core import audit, audit_display, demo, home, navigation, rule_catalog, scheduler
        from bankdesk.knowledge import selectors as knowledge_selectors
        from bankdesk.knowledge.search import query as knowledge_search

        permissions.register()
        cached_lists.connect()
        audit.register_actions(ComplaintAction)
        rule_catalog.register(rule_settings.RULES, owner=self.name)
        work, cases = navigation.WORKBENCH, navigation.COMPLAINTS
        navigation.register(
            navigation.NavEntry(_("Register complaint"), "complaints:register", permission=P.REGISTER_COMPLAINT,
                                order=30, group=cases),
            navigation.NavEntry(_("Intake queue"), "complaints:queue", permission=P.REVIEW_COMPLAINTS, order=40,
                                group=cases, count=workspace.intake_queue_count),
            navigation.NavEntry(_("My work"), "complaints:my_work", permission=P.HANDLE_COMPLAINTS, order=50,
                                group=work, count=workspace.my_work_count()),
            navigation.NavEntry(_("Team"), "complaints:team", permission=P.APPROVE_DECISIONS, order=60, group=work,
                                count=workspace.awaiting_approval_count),
            navigation.NavEntry(_("Complaint management"), "complaints:list", permission=P.VIEW_COMPLAINTS, order=70,
                                group=cases),
            navigation.NavEntry(_("Imports"), "complaint_imports:jobs", permission=P.IMPORT_COMPLAINTS, order=80,
                                group=cases),
            navigation.NavEntry(_("Complaint tables"), "core:config_table", ("channels",),
                                permission=P.MANAGE_TAXONOMIES, order=130, group=navigation.ADMINISTRATION),
            owner=self.name)
        navigation.register_search(workspace.SEARCH, owner=self.name)
        home.register(*workspace.TILES, *workspace.PANELS, owner=self.name)
        audit_display.register_fields("complaints.complaint", workspace.AUDIT_FIELDS, owner=self.name)
        demo.register(complaints_demo.load, owner=self.name)
        knowledge_search.register_kind_permission("complaint", P.VIEW_COMPLAINTS)
        knowledge_selectors.register_suggestion_topic("business_category", selectors.business_category_name)
        scheduler.register(scheduler.PeriodicJob("complaints.sweep_clocks", timedelta(minutes=1), tasks.sweep_clocks))
        scheduler.register(scheduler.PeriodicJob("complaints.archive_closed_complaints", timedelta(days=1),
                                                 tasks.archive_closed_complaints))
        from bankdesk.core import access
        from bankdesk.complaints import access_rules

        access.register(access_rules.RULES, owner=self.name)
        from bankdesk.complaints.web import list_pages
        from bankdesk.core import exports

        exports.register(*list_pages.export_kinds(), owner=self.name)
