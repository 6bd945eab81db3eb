"""education's services, one module per part."""
