"""forms of campaigns, one module per concept."""
