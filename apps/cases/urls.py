from django.urls import path

from . import public_views, statistics_views, views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("report/", views.case_report, name="case_report"),
    path("hotline/", views.hotline_create, name="hotline_create"),
    path("map/", views.case_map, name="case_map"),
    path("map/data/", views.case_map_data, name="case_map_data"),
    path("briefing/", views.briefing, name="briefing"),
    path("statistics/", statistics_views.case_statistics_page, name="statistics"),
    path("categories/", views.category_list, name="category_list"),
    path("categories/new/", views.category_edit, name="category_create"),
    path("categories/<int:pk>/edit/", views.category_edit, name="category_update"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/notice.docx", views.case_notice, name="case_notice"),
    path("<int:pk>/supervision.docx", views.case_supervision_notice, name="case_supervision_notice"),
    path("photos/<int:pk>/<slug:size>/", views.case_photo, name="case_photo"),
    path("<int:pk>/<slug:action>/", views.case_action, name="case_action"),
]

public_urlpatterns = [
    path("report/", public_views.public_report, name="public_report"),
    path("track/", public_views.public_track, name="public_track"),
    path("track/<str:code>/", public_views.public_track, name="public_track_code"),
]
