"""Views of agreements, one module per concept."""
