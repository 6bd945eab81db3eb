"""Views: tasks."""
