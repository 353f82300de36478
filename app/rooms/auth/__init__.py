"""Authentication that is cheap for the server and costly to abuse.

* ``throttles``: DRF rate throttles on the shared cache, the failed-login
  counters among them;
* ``backends``: Django's model backend, refusing to check a password for a
  client or user with too many recent failures (HTTP Basic, the browsable
  API's login form and the admin's all pass through it);
* ``authentication``: DRF's HTTP Basic, answering such a client 429 before
  any password hashing.
"""
