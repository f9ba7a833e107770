"""Make the report: views for the templates, narrative, change between waves, charts, HTML, PDF."""
