"""Benchmarks the CLI runs (``clearway <domain> benchmark``), lifted out of the domain packages: each measures a
domain's product code on data files and never changes what the product does. The scripts under the
repository's top-level ``benchmarks/`` drive them and record the results."""
