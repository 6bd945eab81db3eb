"""education's exports, one module per part."""
