"""surveys views, one module per part."""
