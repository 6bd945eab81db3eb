from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="activity_list"),
    path("new/", views.activity_create, name="activity_create"),
    path("totals/", views.totals, name="totals"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/step/<str:name>/", views.activity_transition, name="activity_transition"),
    path("<int:pk>/volunteer-count/", views.activity_volunteer_count, name="activity_volunteer_count"),
    path("<int:pk>/signups/", views.signup_create, name="signup_create"),
    path("photos/<int:pk>/<str:size>/", views.activity_photo, name="activity_photo"),
    path("signups/<int:pk>/attendance/", views.signup_attendance, name="signup_attendance"),
    path("signups/<int:pk>/withdraw/", views.signup_withdraw, name="signup_withdraw"),
    path("volunteers/", views.VolunteerListView.as_view(), name="volunteer_list"),
    path("volunteers/new/", views.VolunteerCreateView.as_view(), name="volunteer_create"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("volunteers/<int:pk>/edit/", views.VolunteerEditView.as_view(), name="volunteer_edit"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.TeamCreateView.as_view(), name="team_create"),
    path("teams/<int:pk>/edit/", views.TeamEditView.as_view(), name="team_edit"),
    path("measures/", views.measure_list, name="measure_list"),
    path("measures/new/", views.MeasureCreateView.as_view(), name="measure_create"),
    path("measures/<int:pk>/edit/", views.MeasureEditView.as_view(), name="measure_edit"),
]
