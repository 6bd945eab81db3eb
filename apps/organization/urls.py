from django.urls import path

from . import views, views_map

app_name = "organization"

urlpatterns = [
    path("jurisdictions/", views.JurisdictionListView.as_view(), name="jurisdiction_list"),
    path("jurisdictions/new/", views.JurisdictionCreateView.as_view(), name="jurisdiction_create"),
    path("jurisdictions/<int:pk>/", views.JurisdictionDetailView.as_view(), name="jurisdiction_detail"),
    path("jurisdictions/<int:pk>/edit/", views.JurisdictionUpdateView.as_view(), name="jurisdiction_update"),
    path("jurisdictions/<int:pk>/move/", views.JurisdictionMoveView.as_view(), name="jurisdiction_move"),
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("units/new/", views.UnitCreateView.as_view(), name="unit_create"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit_update"),
    path("units/<int:pk>/licenses/", views.LicenseAddView.as_view(), name="license_add"),
    path("units/<int:pk>/licenses/<int:license_pk>/delete/", views.LicenseRemoveView.as_view(), name="license_remove"),
    path("staff/", views.StaffListView.as_view(), name="staff_list"),
    path("staff/new/", views.StaffCreateView.as_view(), name="staff_create"),
    path("staff/<int:pk>/", views.StaffDetailView.as_view(), name="staff_detail"),
    path("staff/<int:pk>/edit/", views.StaffUpdateView.as_view(), name="staff_update"),
    path("groups/", views.GroupListView.as_view(), name="group_list"),
    path("groups/new/", views.GroupCreateView.as_view(), name="group_create"),
    path("groups/<int:pk>/", views.GroupDetailView.as_view(), name="group_detail"),
    path("groups/<int:pk>/edit/", views.GroupUpdateView.as_view(), name="group_update"),
    path("groups/<int:pk>/members/", views.GroupMemberAddView.as_view(), name="group_member_add"),
    path(
        "groups/<int:pk>/members/<int:member_pk>/delete/",
        views.GroupMemberRemoveView.as_view(),
        name="group_member_remove",
    ),
    path("zones/", views.ZoneListView.as_view(), name="zone_list"),
    path("zones/new/", views.ZoneCreateView.as_view(), name="zone_create"),
    path("zones/<int:pk>/", views.ZoneDetailView.as_view(), name="zone_detail"),
    path("zones/<int:pk>/edit/", views.ZoneUpdateView.as_view(), name="zone_update"),
    path("zones/<int:pk>/reassign/", views.ZoneReassignView.as_view(), name="zone_reassign"),
    path("reference/", views.ReferenceListView.as_view(), name="reference_list"),
    path("reference/unit-types/new/", views.UnitTypeCreateView.as_view(), name="unit_type_create"),
    path("reference/unit-types/<int:pk>/edit/", views.UnitTypeUpdateView.as_view(), name="unit_type_update"),
    path("reference/levels/new/", views.LevelCreateView.as_view(), name="level_create"),
    path("reference/levels/<int:pk>/edit/", views.LevelUpdateView.as_view(), name="level_update"),
    path("map-layers/", views_map.map_layers, name="map_layers"),
]
