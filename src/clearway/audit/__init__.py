"""Tamper-evident audit trail: every event in one append-only, hash-chained log."""
