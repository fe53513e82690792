"""Assessment: customs value, rate choice, duty, internal taxes and VAT, to the won, with explanations."""
