"""The aedes part of pestcontrol's pages."""

urlpatterns = []
