"""selectors of campaigns, one module per concept."""
