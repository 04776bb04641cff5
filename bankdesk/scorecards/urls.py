app_name = "scorecards"
urlpatterns = []
