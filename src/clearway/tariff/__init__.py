"""Tariff as data: nomenclature, measures (rates), internal-tax rules, exchange rates and parameters."""
