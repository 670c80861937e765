"""Client files in, canonical tables and DataIssues out: readers, cleaning, schema, org tree, load."""
