"""education's boards pages."""

urlpatterns = []
