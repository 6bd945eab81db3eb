"""surveys' pages, one module per part (joined here under one namespace)."""

from . import answering, builder, results

app_name = "surveys"

urlpatterns = [*builder.urlpatterns, *results.urlpatterns, *answering.urlpatterns]
