"""Benchmarks: each measures the bot beside a reference in the same run, so its figures are ratios."""
