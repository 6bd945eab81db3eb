"""surveys selectors, one module per part."""
