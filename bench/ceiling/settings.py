"""The bare-Django ceiling: the least a Django view can do to answer, served like BankDesk.

No database, no sessions, no middleware: one view returning a JSON body of the size BankDesk answers.
What BankDesk reaches as a share of this is the cost of its real work (auth, rules, the database).
"""

SECRET_KEY = "bench-ceiling-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True
