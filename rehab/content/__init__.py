"""assets/ as validated data: the one YAML reader (files), the exercise library, education topics and templates
(content), exercise fields and CSV, readability."""
