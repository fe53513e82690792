"""Declarations: the WCO-style document, its lifecycle, persistence and endpoints."""
