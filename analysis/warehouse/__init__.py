"""Stage 6, warehouse: the DuckDB file (schema, atomic writes) and the SQL questions in `queries/`."""
