"""surveys' results pages."""

urlpatterns = []
