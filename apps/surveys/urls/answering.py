"""surveys' answering pages."""

urlpatterns = []
