"""Sample readings at a fixed interval and store them in a TimescaleDB hypertable."""
