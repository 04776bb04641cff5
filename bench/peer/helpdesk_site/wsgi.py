"""WSGI entry point of the django-helpdesk peer, for gunicorn (`helpdesk_site.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")
application = get_wsgi_application()
