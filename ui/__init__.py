"""The pages' Streamlit helpers: the shared ones here (services built once, plain error messages, session keys,
kept widgets, email), each page's own parts in a folder named after the page (build/, library/, patients/,
review/, templates/)."""
