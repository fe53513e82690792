"""Parties bound to accounts: companies by 사업자등록번호 and 통관고유부호, broker mandates, who files for whom."""
