"""AppTest runs against a fresh SQLite database per test; caches are cleared so no state leaks between tests."""

import pytest
import streamlit as st


@pytest.fixture(autouse=True)
def app_database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("REHAB_DATABASE_URL", url)
    for name in ("REHAB_SMTP_HOST", "REHAB_SMTP_PASSWORD", "REHAB_SMTP_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield url
    st.cache_resource.clear()
    st.cache_data.clear()
