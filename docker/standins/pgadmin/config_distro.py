# pgAdmin settings of the stand-in (read by pgAdmin's config.py), as the official
# image sets them: server mode, data under /var/lib/pgadmin, logs to the container's
# output, the system's CA bundle, and no check for updates (no network is assumed).
SERVER_MODE = True
DATA_DIR = "/var/lib/pgadmin"
LOG_FILE = "/dev/null"
CA_FILE = "/etc/ssl/certs/ca-certificates.crt"
UPGRADE_CHECK_ENABLED = False
