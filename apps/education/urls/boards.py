"""education's boards pages."""

from django.urls import path

from ..views import boards

urlpatterns = [
    path("boards/", boards.board_list, name="board_list"),
    path("boards/new/", boards.board_create, name="board_create"),
    path("boards/<int:pk>/", boards.board_detail, name="board_detail"),
    path("boards/<int:pk>/edit/", boards.board_edit, name="board_edit"),
    path("boards/<int:pk>/deactivate/", boards.board_deactivate, name="board_deactivate"),
    path("boards/<int:pk>/update/", boards.board_update, name="board_update"),
    path("boards/photos/<int:pk>/<str:size>/", boards.board_photo, name="board_photo"),
]
