"""Everything that imports Qt lives here (and in wizard/app.py)."""
