"""The web server: Streamlit's app (app.py) behind our own routes and middleware. `make run` starts it with
`streamlit run serve.py`, which finds ``app`` and serves it with uvicorn.

- POST at any page's address: the sign-in form's target (server/sign_in_route.py), which sets the session cookie.
- GET /p/<token>, its PDF and its check-in POST: the patient link's page (server/patient_route.py), no session.
- Every HTTP response gets the security headers (server/headers.py), Streamlit's own pages and files included.
"""

import streamlit as st
from starlette.middleware import Middleware

from server import patient_route
from server.headers import SecurityHeaders
from server.sign_in_route import routes

app = st.App("app.py", routes=patient_route.routes() + routes(), middleware=[Middleware(SecurityHeaders)])
