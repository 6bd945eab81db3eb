<<<<<<< HEAD
"""surveys' selectors, one module per part."""
=======
"""surveys selectors, one module per part."""
>>>>>>> h-surveys-builder
