"""Benchmarks and dev tools over voyce_ml; not shipped in the production package (see ../pyproject.toml)."""
