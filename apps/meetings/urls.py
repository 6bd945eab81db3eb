"""URLs of meetings."""

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/hold/", views.meeting_hold, name="meeting_hold"),
    path("<int:pk>/step/<str:name>/", views.meeting_transition, name="meeting_transition"),
    path("<int:pk>/signin/", views.meeting_signin, name="meeting_signin"),
    path("<int:pk>/signin/sign/", views.meeting_sign, name="meeting_sign"),
    path("<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("<int:pk>/attachments/", views.meeting_attach, name="meeting_attach"),
    path("decisions/", views.DecisionListView.as_view(), name="decision_list"),
    path("decisions/<int:pk>/step/<str:name>/", views.decision_transition, name="decision_transition"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("photos/<int:pk>/<slug:size>/", views.meeting_photo, name="photo"),
]
