"""Views: binder."""
