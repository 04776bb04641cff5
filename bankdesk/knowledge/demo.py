"""The knowledge app's demo loader (core's `load_demo` runs it): both case libraries and the FAQ."""

from django.core.management import call_command


def load(stdout) -> None:
    call_command("load_knowledge", owner="admin", stdout=stdout)
