"""Views: mock."""
