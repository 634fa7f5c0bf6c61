"""Stage 7, publish: chart factories, HTML tables for notebooks, offline assets and the report builder."""
