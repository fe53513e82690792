"""Intellectual property at the border: recorded rights, counterfeit screening and holds (관세법 제235조)."""
