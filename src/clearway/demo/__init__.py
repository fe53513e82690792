"""The demo: reference data, one user per role and a few dozen realistic declarations."""
