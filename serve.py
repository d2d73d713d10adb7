"""The web server: Streamlit's app (app.py) behind our own routes and middleware. `make run` starts it with
`streamlit run serve.py`, which finds ``app`` and serves it with uvicorn.

- POST at any page's address: the sign-in form's target (server/sign_in_route.py), which sets the session cookie.
  The addresses follow Streamlit's ``server.baseUrlPath``, so the app can be served below a path.
- GET /p/<token>, its PDF and its check-in POST: the patient link's page (server/patient_route.py), no session.
- Every HTTP response gets the security headers (server/headers.py), Streamlit's own pages and files included.
- Behind a reverse proxy named in REHAB_TRUSTED_PROXY, its forwarded address and scheme count (server/proxy.py).
"""

import os
import sys

import streamlit as st
from streamlit import config

from rehab.config import Settings
from server import stack

# Only this setting is read here, from the environment: a bad value stops the server, naming the variable. The
# app reads the others itself (and says on the page what is wrong with them).
_PROXY = "REHAB_TRUSTED_PROXY"
trusted_proxy = Settings.from_env({_PROXY: os.environ.get(_PROXY, "")}).trusted_proxy

# A page's run (the handout preview's render above all) holds Python's lock for tens of milliseconds; the server's
# event loop, which sends each part of the page to the browser, waits for it between every two parts (5 ms by
# default). Handing it over every half millisecond gets the parts out as they are made (issue 17).
sys.setswitchinterval(0.0005)

app = st.App("app.py", routes=stack.routes(config.get_option("server.baseUrlPath") or ""),
             middleware=stack.middleware(trusted_proxy))
