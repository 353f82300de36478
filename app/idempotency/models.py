from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """The outcome of one write made with an ``Idempotency-Key``, per user and key.

    The row is inserted in the write's own transaction before the write runs,
    and completed with the response before it commits, so the outcome and the
    record commit (or roll back) together. ``fingerprint`` identifies the
    request (method, path, body), so a key reused for a different request is
    refused instead of answered with another request's outcome.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response = models.TextField(blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_record_user_key")
        ]

    def __str__(self):
        return f"{self.key} ({self.status_code})"
