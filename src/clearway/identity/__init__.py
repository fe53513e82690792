"""Users, companies, roles, password login and scoped API tokens."""
