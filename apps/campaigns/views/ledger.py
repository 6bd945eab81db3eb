"""Views: ledger."""
