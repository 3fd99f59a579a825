"""Adapters: PostgreSQL storage, reading sources, the system clock and settings."""
