"""The Clinic settings page's email section: the server settings (redacted) and a test email."""

from __future__ import annotations

import streamlit as st

from rehab.config import SettingsError
from rehab.errors import InvalidEmail, MailDeliveryError
from rehab.services.email import send_test_email_in_time
from ui.context import settings
from ui.text import md
from ui.widgets import kept


def _status_lines(shown: dict[str, str], port: int, timeout: float) -> list[str]:
    sender = shown["REHAB_MAIL_FROM"]
    return [
        f"**Server:** {md(shown['REHAB_SMTP_HOST'])}, port {port}",
        f"**Security:** {md(shown['REHAB_SMTP_SECURITY'])}",
        f"**Sender:** {md(sender) if sender else 'not set'}",
        f"**Replies go to:** {md(shown['REHAB_MAIL_REPLY_TO'] or sender or 'not set')}",
        f"**Login:** {'yes' if shown['REHAB_SMTP_USERNAME'] else 'no'}",
        f"**Wait for the server:** up to {timeout:g} seconds",
    ]


def draw() -> None:
    config = settings()
    shown = config.redacted()  # passwords are masked here; this page never shows them
    configured = bool(shown["REHAB_SMTP_HOST"])
    st.markdown("**Email server**")
    if not configured:
        st.info("Email is off. To email handouts, your administrator sets REHAB_SMTP_HOST and REHAB_MAIL_FROM "
                "(and a login if the server needs one) in the environment or in .streamlit/secrets.toml, then "
                "restarts the app. Handouts can still be downloaded and printed.")
        return
    st.markdown("  \n".join(["**Email:** on", *_status_lines(shown, config.smtp_port_or_default, config.smtp_timeout)]))
    st.caption("These come from the server's settings, not from this page.")
    to = kept(st.text_input, "Send a test email to", key="settings_test_to", default="",
              placeholder="you@example.org")
    if st.button("Send test email", key="settings_test_send", icon=":material/send:"):
        if not to.strip():
            st.error("Type the address to send the test email to.")
            return
        with st.spinner(f"Sending (waiting at most {config.smtp_timeout:g} seconds for the server)…"):
            try:
                send_test_email_in_time(config, to.strip())
            except InvalidEmail as exc:
                st.error(md(f"The test email was not sent: check the address. ({exc})"))
            except SettingsError as exc:
                st.error(md(f"The test email was not sent: the email settings need fixing. {exc}"))
            except MailDeliveryError as exc:
                st.error(md(f"The test email was not sent: {exc.reason}"))
            else:
                st.success(md(f"Test email sent to {to.strip()}. Check that inbox, and the spam folder too."))
