"""surveys demo builders, one module per part."""
