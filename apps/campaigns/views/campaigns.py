"""Views: campaigns."""
