"""The HS classifier (description → ranked HS6/HSK10 codes with evidence) and the filing step that warns when a
declared code is unlikely."""
