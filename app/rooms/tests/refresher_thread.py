"""The deferred view refresher in a thread, for tests that need one running."""

import threading

from django.db import connections

from rooms.read_models import view_refresher


class RefresherThread:
    """``manage.py run_view_refresher`` in a thread, with its own connection.

    Used as a context manager: started on entry; on exit stopped, its
    connection closed, and any error it raised re-raised in the test.
    """

    def __init__(self, max_staleness: float, heal_interval: float = 0):
        self.max_staleness = max_staleness
        self.heal_interval = heal_interval
        self.stop = threading.Event()
        self.errors = []
        self.thread = threading.Thread(target=self._run)

    def _run(self):
        try:
            view_refresher.run(
                max_staleness=self.max_staleness, stop=self.stop, heal_interval=self.heal_interval
            )
        except Exception as error:
            self.errors.append(error)
        finally:
            connections.close_all()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=30)
        assert not self.errors, self.errors
