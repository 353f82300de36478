"""The OpenAPI schema documents every answer an operation can give, errors included.

drf-spectacular documents the success answer only, so a generated client (or
a fuzzer checking the schema, as CI does with schemathesis) meets statuses the
schema never mentions. This AutoSchema adds, per operation, the errors the
service really answers with:

* required texts (names) are documented as not blank;
* every operation: 401 (bad credentials, also on reads), 429 (too many failed
  logins; anonymous live lists and comparisons), 503 (the database gave up or is unreachable),
  with ``Retry-After`` where the service sends it;
* lists: 400 (a bad ``page_size``), 404 (an invalid cursor);
* one object (``{id}`` in the path): 404;
* writes: 400 (invalid input or ``Idempotency-Key``), 403 (no permission,
  CSRF), 409 (conflicting data, an object still in use), 413 (body too
  large), 415 (not JSON), 422 (``Idempotency-Key`` reused for another request).

Writes also document the optional ``Idempotency-Key`` request header.

Descriptions are for users: an operation is described by its viewset's own
docstring only (never one inherited from a base class, which talks to
developers), and serializers' docstrings stay out of the schema.
"""

import inspect

from drf_spectacular import openapi
from drf_spectacular.authentication import BasicScheme
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from idempotency.writes import HEADER as IDEMPOTENCY_HEADER
from idempotency.writes import KEY_PATTERN, MAX_KEY_LENGTH
from rest_framework import serializers

ERROR = inline_serializer("Error", {"detail": serializers.CharField()})
VALIDATION_ERROR = OpenApiTypes.OBJECT
RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer"},
        "description": "Seconds to wait before retrying.",
    }
}

READ_ERRORS = {
    "401": (ERROR, "No valid credentials were sent (credentials are optional for reads)."),
    "429": (ERROR, "Too many failed logins, anonymous live lists or comparisons: see Retry-After."),
    "503": (ERROR, "The database gave up or is unreachable: retry after Retry-After."),
}
LIST_ERRORS = {
    "400": (VALIDATION_ERROR, "Invalid query parameter, e.g. page_size."),
    "404": (ERROR, "Invalid cursor."),
}
DETAIL_ERRORS = {"404": (ERROR, "No such object.")}
WRITE_ERRORS = {
    "400": (VALIDATION_ERROR, "Invalid input: a message per field, or a JSON parse error."),
    "403": (ERROR, "The user lacks the model permission, or a session write lacks its CSRF token."),
    "409": (ERROR, "The change conflicts with the current data, or the object is still in use."),
    "413": (ERROR, "The request body is too large."),
    "415": (ERROR, "The request body is not JSON."),
    "422": (ERROR, "The Idempotency-Key was used before for a different request."),
}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class ThrottledBasicScheme(BasicScheme):
    """Our HTTP Basic is HTTP Basic to a client; tells drf-spectacular so."""

    target_class = "rooms.auth.authentication.ThrottledBasicAuthentication"


class AutoSchema(openapi.AutoSchema):
    def _resolve_path_parameters(self, variables):
        """A viewset's ``lookup_value_regex`` (ids: ASCII digits) is for the router; to a
        client the id is the model's integer, which drf-spectacular says of DRF's default
        pattern only (it types any other as a string)."""
        regex, pattern = self.path_regex, getattr(self.view, "lookup_value_regex", None)
        if pattern:
            self.path_regex = regex.replace(f"(?P<pk>{pattern})", "(?P<pk>[^/.]+)")
        try:
            return super()._resolve_path_parameters(variables)
        finally:
            self.path_regex = regex

    def get_description(self):
        own = type(self.view).__dict__.get("__doc__")
        return inspect.cleandoc(own) if own else ""

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        schema.pop("description", None)  # a serializer's docstring is for developers
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, (body, description) in self._errors().items():
            if code in responses:
                continue
            response = self._get_response_for_code(
                OpenApiResponse(response=body, description=description), code, direction=direction
            )
            if code in ("429", "503"):
                response["headers"] = RETRY_AFTER
            responses[code] = response
        return dict(sorted(responses.items()))

    def _errors(self):
        errors = dict(READ_ERRORS)
        if self._is_list_view():
            errors.update(LIST_ERRORS)
        if "{" in self.path:
            errors.update(DETAIL_ERRORS)
        if self.method in WRITE_METHODS:
            errors.update(WRITE_ERRORS)
        return errors

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A required text (a name) is documented as one: not empty, not only
        spaces (DRF trims them, then refuses the blank). drf-spectacular states
        neither unless request components are split."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            isinstance(field, serializers.CharField)
            and not field.allow_blank
            and schema.get("type") == "string"
        ):
            schema.setdefault("minLength", 1)
            if field.trim_whitespace:
                schema.setdefault("pattern", r"\S")
        return schema

    def get_auth(self):
        """Reads need no credentials (``DjangoModelPermissionsOrAnonReadOnly``),
        which drf-spectacular only infers for its own permission classes."""
        auths = super().get_auth()
        if self.method not in WRITE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method in WRITE_METHODS:
            parameters = [
                *parameters,
                OpenApiParameter(
                    IDEMPOTENCY_HEADER,
                    {"type": "string", "pattern": KEY_PATTERN.pattern},
                    OpenApiParameter.HEADER,
                    description=(
                        f"Optional, 1 to {MAX_KEY_LENGTH} visible ASCII characters. A retry "
                        "with the same key and request gets the first answer "
                        "(Idempotent-Replayed: true) instead of a second write."
                    ),
                ),
            ]
        return parameters
