"""What the web server adds around the Streamlit app: our HTTP routes (sign-in) and security headers."""
