app_name = "callcenter"
urlpatterns = []
