"""Domain rules as plain functions: no I/O, no SQL, no texts."""
