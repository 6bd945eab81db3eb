"""education's selectors, one module per part."""
