"""Minimal Django project that serves django-helpdesk as the benchmark's peer of BankDesk."""
