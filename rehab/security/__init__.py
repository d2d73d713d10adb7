"""Passwords, the sign-in throttle and keeping patient data out of logs."""
