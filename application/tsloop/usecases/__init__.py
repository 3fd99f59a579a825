"""Use cases: the sampling loop and the queries, written against ports."""
