# Connected in RoomsConfig.ready(); filled in by the read-models work.
