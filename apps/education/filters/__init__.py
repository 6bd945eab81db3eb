"""education's filters, one module per part."""
