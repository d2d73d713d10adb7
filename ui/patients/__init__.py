"""The Patients page's parts: outcome charts."""
