"""filters of campaigns, one module per concept."""
