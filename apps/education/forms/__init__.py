"""education's forms, one module per part."""
