# Placeholder until the public pages land (helper-4 replaces this file).
app_name = "track"
urlpatterns = []
