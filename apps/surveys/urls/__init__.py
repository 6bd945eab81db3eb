"""surveys' pages, one module per part (joined here under one namespace)."""

from . import answering, builder

app_name = "surveys"

urlpatterns = [*builder.urlpatterns, *answering.urlpatterns]
