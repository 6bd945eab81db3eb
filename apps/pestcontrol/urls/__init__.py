"""pestcontrol's pages, one module per part (joined here under one namespace)."""

from . import aedes, home, operations, surveys

app_name = "pestcontrol"

urlpatterns = [*home.urlpatterns, *operations.urlpatterns, *surveys.urlpatterns, *aedes.urlpatterns]
