"""education's views, one module per part."""
