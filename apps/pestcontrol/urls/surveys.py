"""The surveys part of pestcontrol's pages."""

urlpatterns = []
