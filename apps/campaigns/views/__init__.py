"""Views of campaigns, one module per concept (campaigns, tasks, ledger, assessment, mock, binder)."""
