"""Benchmarks of Xianfeng: the synthetic-data generator (generate.py) and the timing harness (run.py)."""
