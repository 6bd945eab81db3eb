"""Benchmarks (standalone scripts, see README.md); a package so gunicorn can load ``bench.settings_bench``."""
