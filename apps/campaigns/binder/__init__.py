"""The binder: the ledger packed as the assessors expect it (.zip by section and item, with an index)."""
