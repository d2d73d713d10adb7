"""The Review visit page's parts: the check-in grid, and a saved visit in words (shown on Patients too)."""
