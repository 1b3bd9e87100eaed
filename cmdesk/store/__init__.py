"""The local SQLite history: tables, migrations, full-text search and the ``Store`` façade."""
