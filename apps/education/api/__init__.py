"""education's api, one module per part."""
