"""The operations part of pestcontrol's pages."""

urlpatterns = []
