"""surveys' builder pages."""

urlpatterns = []
