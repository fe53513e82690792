"""Scheduled jobs: the periodic work ``clearway worker scheduler`` runs (pure schedule core + shell)."""
