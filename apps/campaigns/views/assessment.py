"""Views: assessment."""
