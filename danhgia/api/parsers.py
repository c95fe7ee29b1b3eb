"""The API's one parser: JSON, with a problem (400) for any body it cannot read."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, whose failures all become a translated 400: a body nested too deep
    for Python's parser (RecursionError) included, which would otherwise be a server error."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except exceptions.ParseError as error:
            raise exceptions.ParseError(
                _("The body is not valid JSON (%(error)s): send one JSON object.")
                % {"error": error.detail}
            ) from error
        except RecursionError as error:
            raise exceptions.ParseError(
                _("The body is nested too deeply: send one flat JSON object.")
            ) from error
