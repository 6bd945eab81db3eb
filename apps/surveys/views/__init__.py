<<<<<<< HEAD
"""surveys' views, one module per part."""
=======
"""surveys views, one module per part."""
>>>>>>> h-surveys-builder
