"""education's home-page panels, one module per part."""
