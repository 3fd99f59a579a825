"""Entry points: the command line interface."""
