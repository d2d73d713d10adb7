"""Helpers the tests share, so no test module imports another:

- ``servers``: ``free_port`` and real aiosmtpd servers (the mail tests' fixtures);
- ``postgres``: a throwaway PostgreSQL server from Debian's binaries;
- ``storage_samples``: a stored program and custom exercise for the storage tests;
- ``handout_samples``: a sample program, clinic and handout render for the handout tests;
- ``fakes``: small exercise libraries (ladders) for the program rules.

See docs/testing.md.
"""
