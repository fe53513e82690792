"""Code lists: countries (ISO 3166), currencies (ISO 4217), units (UN/ECE Rec 20), Incoterms 2020,
transport modes, customs offices, ports (UN/LOCODE) and trade agreements."""
