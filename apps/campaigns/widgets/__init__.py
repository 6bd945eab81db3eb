"""widgets of campaigns, one module per concept."""
