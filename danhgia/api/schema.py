"""OpenAPI documentation helpers: the token scheme and the documented problem responses."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from danhgia.api.problems import CONTENT_TYPE
from danhgia.api.serializers import ProblemSerializer


class IntegrationTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "danhgia.api.auth.IntegrationTokenAuthentication"
    name = "integrationToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "Token of the integration."}


def responses(ok: Any, *codes: int, ok_status: int = 200) -> dict[Any, Any]:
    """The success response plus 401 and 429 always, and the given problem codes."""
    result: dict[Any, Any] = {ok_status: ok}
    for code in sorted({401, 429, *codes}):
        result[(code, CONTENT_TYPE)] = ProblemSerializer
    return result
