from django.urls import path

from .views import appeals, checklists, rankings, rounds, sheets

app_name = "inspections"

urlpatterns = [
    path("", sheets.InspectionListView.as_view(), name="inspection_list"),
    path("new/", sheets.inspection_create, name="inspection_create"),
    path("<int:pk>/", sheets.inspection_detail, name="inspection_detail"),
    path("<int:pk>/fill/", sheets.inspection_fill, name="inspection_fill"),
    path("<int:pk>/items/<int:item_id>/", sheets.inspection_item_save, name="inspection_item_save"),
    path("<int:pk>/items/<int:item_id>/photos/", sheets.inspection_photo_upload, name="inspection_photo_upload"),
    path("<int:pk>/submit/", sheets.inspection_submit, name="inspection_submit"),
    path("<int:pk>/items/<int:item_id>/correct/", sheets.inspection_correct, name="inspection_correct"),
    path("<int:pk>/results/<int:result_id>/case/", sheets.finding_case, name="finding_case"),
    path("<int:pk>/results/<int:result_id>/appeal/", appeals.appeal_create, name="appeal_create"),
    path("photos/<int:pk>/delete/", sheets.photo_delete, name="photo_delete"),
    path("photos/<int:pk>/<slug:size>/", sheets.photo, name="photo"),
    path("appeals/", appeals.appeal_list, name="appeal_list"),
    path("appeals/<int:pk>/", appeals.appeal_detail, name="appeal_detail"),
    path("checklists/", checklists.template_list, name="template_list"),
    path("checklists/new/", checklists.TemplateCreate.as_view(), name="template_create"),
    path("checklists/<int:pk>/", checklists.template_detail, name="template_detail"),
    path("checklists/<int:pk>/edit/", checklists.TemplateUpdate.as_view(), name="template_update"),
    path("checklists/<int:pk>/sections/", checklists.section_add, name="section_add"),
    path("checklists/<int:pk>/items/new/", checklists.item_edit, name="item_create"),
    path("checklists/<int:pk>/items/<int:item_id>/", checklists.item_edit, name="item_update"),
    path("checklists/<int:pk>/items/<int:item_id>/delete/", checklists.item_delete, name="item_delete"),
    path("plans/", rounds.plan_list, name="plan_list"),
    path("plans/new/", rounds.PlanCreate.as_view(), name="plan_create"),
    path("plans/<int:pk>/", rounds.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", rounds.PlanUpdate.as_view(), name="plan_update"),
    path("plans/<int:pk>/rounds/new/", rounds.round_open, name="round_open"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rankings/", rankings.ranking, name="ranking"),
    path("rankings/publish/", rankings.ranking_publish, name="ranking_publish"),
    path("rankings/rules/", rankings.scheme_edit, name="scheme_edit"),
    path("rankings/flags/", rankings.flag_history, name="flag_history"),
    path("rankings/<int:pk>/", rankings.published_detail, name="published_detail"),
    path("rankings/<int:pk>/bulletin.docx", rankings.published_docx, name="published_docx"),
    path("wall/", rankings.wall, name="wall"),
]
