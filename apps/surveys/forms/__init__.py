<<<<<<< HEAD
"""surveys' forms, one module per part."""
=======
"""surveys forms, one module per part."""
>>>>>>> h-surveys-builder
