"""The operations part of pestcontrol's pages: operations, campaigns and the drug ledger."""

from django.urls import path

from ..views import operations as views

urlpatterns = [
    path("operations/", views.OperationListView.as_view(), name="operation_list"),
    path("operations/new/", views.operation_create, name="operation_create"),
    path("operations/<int:pk>/", views.operation_detail, name="operation_detail"),
    path("operations/<int:pk>/edit/", views.operation_edit, name="operation_edit"),
    path("operations/<int:pk>/follow-ups/", views.followup_create, name="followup_create"),
    path("operations/photos/<int:pk>/<str:size>/", views.operation_photo, name="operation_photo"),
    path("follow-ups/<int:pk>/edit/", views.FollowUpEditView.as_view(), name="followup_edit"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/step/<str:name>/", views.campaign_transition, name="campaign_transition"),
    path("drugs/products/", views.product_list, name="product_list"),
    path("drugs/products/new/", views.ProductCreateView.as_view(), name="product_create"),
    path("drugs/products/<int:pk>/edit/", views.ProductEditView.as_view(), name="product_edit"),
    path("drugs/banned/", views.banned_list, name="banned_list"),
    path("drugs/banned/new/", views.BannedCreateView.as_view(), name="banned_create"),
    path("drugs/banned/<int:pk>/edit/", views.BannedEditView.as_view(), name="banned_edit"),
    path("drugs/stores/", views.store_list, name="store_list"),
    path("drugs/stores/new/", views.StoreCreateView.as_view(), name="store_create"),
    path("drugs/stores/<int:pk>/", views.StoreLedgerView.as_view(), name="store_detail"),
    path("drugs/stores/<int:pk>/movements/", views.movement_create, name="movement_create"),
]
