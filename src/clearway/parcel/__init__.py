"""Direct purchases: personal customs codes, list clearance of express and postal parcels, holder notices."""
