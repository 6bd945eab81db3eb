"""education's smokefree pages."""

urlpatterns = []
