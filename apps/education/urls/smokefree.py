"""education's smokefree pages."""

from django.urls import path

from ..views import smokefree

urlpatterns = [
    path("places/", smokefree.place_list, name="place_list"),
    path("places/new/", smokefree.place_create, name="place_create"),
    path("places/<int:pk>/", smokefree.place_detail, name="place_detail"),
    path("places/<int:pk>/edit/", smokefree.place_edit, name="place_edit"),
    path("places/<int:pk>/check/", smokefree.place_check, name="place_check"),
]
