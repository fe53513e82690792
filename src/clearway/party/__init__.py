"""Parties bound to accounts: companies (사업자등록번호, 통관고유부호), broker mandates, who files for
whom."""
