"""education's demo builders, one module per part."""
