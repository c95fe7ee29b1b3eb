from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class EmailValidator(OAuth2Validator):  # type: ignore[misc]
    """The provider's claims: the e-mail address (scope `email`), as a provincial SSO gives."""

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        return {"email": request.user.email}
