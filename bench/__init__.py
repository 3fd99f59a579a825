"""Benchmark of tsloop's ingest speed, loop timing, footprint and scaling.

Run it with `bench/run`; docs/benchmarks.md explains each figure.
"""
