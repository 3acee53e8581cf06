"""nbconvert templates of the grading (package data: see nbgrader_config.py)."""
