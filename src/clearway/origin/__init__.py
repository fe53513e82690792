"""Rules of origin as data, determination from a bill of materials, certificates of origin and their
verification (the preference verifier the assessment asks)."""
