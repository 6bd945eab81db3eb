"""education's plans-and-activities pages (and the 健康教育 home)."""

from django.urls import path

from ..views import activities, home

urlpatterns = [
    path("", home.home, name="home"),
    path("plans/", activities.plan_list, name="plan_list"),
    path("plans/new/", activities.plan_create, name="plan_create"),
    path("plans/<int:pk>/", activities.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", activities.plan_edit, name="plan_edit"),
    path("activities/", activities.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", activities.activity_create, name="activity_create"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/step/<str:name>/", activities.activity_transition, name="activity_transition"),
    path("activities/photos/<int:pk>/<str:size>/", activities.activity_photo, name="activity_photo"),
    path("signin/<str:token>/", activities.signin, name="signin"),
]
