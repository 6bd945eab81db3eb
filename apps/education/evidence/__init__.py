"""education's evidence sources and figures, one module per part."""
