"""education's pages, one module per part (joined here under one namespace)."""

from . import activities, boards, smokefree

app_name = "education"

urlpatterns = [*activities.urlpatterns, *boards.urlpatterns, *smokefree.urlpatterns]
