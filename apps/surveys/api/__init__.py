"""surveys JSON API, one module per part."""
