"""surveys filters, one module per part."""
