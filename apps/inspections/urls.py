from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.InspectionListView.as_view(), name="inspection_list"),
    path("new/", views.inspection_create, name="inspection_create"),
    path("<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("<int:pk>/fill/", views.inspection_fill, name="inspection_fill"),
    path("<int:pk>/items/<int:item_id>/", views.inspection_item_save, name="inspection_item_save"),
    path("<int:pk>/items/<int:item_id>/photos/", views.inspection_photo_upload, name="inspection_photo_upload"),
    path("<int:pk>/submit/", views.inspection_submit, name="inspection_submit"),
    path("<int:pk>/items/<int:item_id>/correct/", views.inspection_correct, name="inspection_correct"),
    path("<int:pk>/results/<int:result_id>/case/", views.finding_case, name="finding_case"),
    path("<int:pk>/results/<int:result_id>/appeal/", views.appeal_create, name="appeal_create"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("photos/<int:pk>/<slug:size>/", views.photo, name="photo"),
    path("appeals/", views.appeal_list, name="appeal_list"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("checklists/", views.template_list, name="template_list"),
    path("checklists/new/", views.TemplateCreate.as_view(), name="template_create"),
    path("checklists/<int:pk>/", views.template_detail, name="template_detail"),
    path("checklists/<int:pk>/edit/", views.TemplateUpdate.as_view(), name="template_update"),
    path("checklists/<int:pk>/sections/", views.section_add, name="section_add"),
    path("checklists/<int:pk>/items/new/", views.item_edit, name="item_create"),
    path("checklists/<int:pk>/items/<int:item_id>/", views.item_edit, name="item_update"),
    path("checklists/<int:pk>/items/<int:item_id>/delete/", views.item_delete, name="item_delete"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.PlanCreate.as_view(), name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.PlanUpdate.as_view(), name="plan_update"),
    path("plans/<int:pk>/rounds/new/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rankings/", views.ranking, name="ranking"),
    path("rankings/publish/", views.ranking_publish, name="ranking_publish"),
    path("rankings/rules/", views.scheme_edit, name="scheme_edit"),
    path("rankings/flags/", views.flag_history, name="flag_history"),
    path("rankings/<int:pk>/", views.published_detail, name="published_detail"),
    path("rankings/<int:pk>/bulletin.docx", views.published_docx, name="published_docx"),
    path("wall/", views.wall, name="wall"),
]
