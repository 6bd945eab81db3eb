"""URLs of standards (namespace `standards:`)."""

from django.urls import path

from . import views

app_name = "standards"

urlpatterns = [
    path("", views.StandardListView.as_view(), name="standard_list"),
    path("new/", views.StandardCreate.as_view(), name="standard_create"),
    path("<int:pk>/", views.standard_detail, name="standard_detail"),
    path("<int:pk>/edit/", views.StandardUpdate.as_view(), name="standard_edit"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("<int:pk>/sections/new/", views.section_edit, name="section_create"),
    path("<int:pk>/sections/<int:section_id>/", views.section_edit, name="section_edit"),
    path("<int:pk>/items/new/", views.item_edit, name="item_create"),
    path("<int:pk>/items/<int:item_id>/", views.item_edit, name="item_edit"),
    path("<int:pk>/items/<int:item_id>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("<int:pk>/indicators/<int:indicator_id>/", views.indicator_edit, name="indicator_edit"),
    path("<int:pk>/items/<int:item_id>/requirements/new/", views.requirement_create, name="requirement_create"),
    path("<int:pk>/requirements/<int:requirement_id>/", views.requirement_edit, name="requirement_edit"),
    path("<int:pk>/<slug:part>/<int:part_id>/delete/", views.content_delete, name="content_delete"),
]
