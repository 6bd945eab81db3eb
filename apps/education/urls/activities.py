"""education's activities pages."""

urlpatterns = []
