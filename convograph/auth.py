"""Who is calling: the principal of a request, from its bearer token or the local owner.

`CONVOGRAPH_AUTH=none` makes every request the one local owner. `jwt` verifies a bearer
token (PyJWT) with a shared secret (HS256) or a public key, PEM or JWKS (RS256, ES256):
`sub` is the owner, and a `roles` claim holding `admin` sees every owner's data.
Transports hand `authenticate()` the credentials they carry (today the HTTP and WebSocket
`Authorization` header), so any later transport can reuse it as it is.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import jwt
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from convograph.settings import AuthMode, Settings

ADMIN_ROLE = "admin"
MAX_SUBJECT_LENGTH = 255  # the width of conversation.owner
REQUIRED_CLAIMS = ["exp", "sub"]
TIME_CLAIMS = ("exp", "nbf", "iat")


@dataclass(frozen=True)
class Principal:
    subject: str
    admin: bool = False
    # When its credentials stop being valid (a token's `exp`, seconds since the epoch);
    # None: never. A WebSocket acts no longer than this.
    expires_at: float | None = field(default=None, compare=False)

    @property
    def owner(self) -> str | None:
        """Whose conversations it may see and change; None (an admin) means everyone's."""
        return None if self.admin else self.subject


# A WebSocket before its `connection_init` has authenticated it: owns and sees nothing.
ANONYMOUS = Principal(subject="")


class Unauthenticated(Exception):
    """The request carries no credentials, or ones that do not verify."""

    def __init__(self, detail: str, *, invalid_token: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.invalid_token = invalid_token

    @property
    def challenge(self) -> str:
        """The `WWW-Authenticate` header value (RFC 6750)."""
        error = ', error="invalid_token"' if self.invalid_token else ""
        return f'Bearer realm="convograph"{error}'


class Authenticator(Protocol):
    def authenticate(self, authorization: str | None) -> Principal:
        """The principal for an `Authorization` header value; raises Unauthenticated."""
        ...


class LocalOwner:
    """No authentication: every caller is the single local owner."""

    def __init__(self, owner: str) -> None:
        self.principal = Principal(owner)

    def authenticate(self, authorization: str | None) -> Principal:
        return self.principal


@dataclass(frozen=True)
class _Key:
    key: Any
    algorithms: list[str]


class BearerTokens:
    """JWT bearer tokens, verified against the configured secret or public key(s)."""

    def __init__(self, settings: Settings) -> None:
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience
        self.leeway = settings.jwt_leeway_seconds
        self.keys = _verification_keys(settings)

    def authenticate(self, authorization: str | None) -> Principal:
        token = _bearer_token(authorization)
        try:
            key = self._key_for(jwt.get_unverified_header(token))
            claims = jwt.decode(
                token,
                key.key,
                algorithms=key.algorithms,
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.PyJWTError as error:
            # PyJWT's wording names its internals (and changes between releases).
            raise Unauthenticated(_rejection_reason(error), invalid_token=True) from None
        return _principal(claims)

    def _key_for(self, header: Mapping[str, Any]) -> _Key:
        kid = header.get("kid")
        if None in self.keys and len(self.keys) == 1:
            # A secret or a single PEM key has no id to match: most identity providers
            # set `kid` anyway, and the signature alone decides.
            return self.keys[None]
        if isinstance(kid, str) and kid in self.keys:
            return self.keys[kid]
        if kid is None and len(self.keys) == 1:
            return next(iter(self.keys.values()))
        raise _NoMatchingKey


class _NoMatchingKey(jwt.InvalidKeyError):
    pass


# Our sentence for each PyJWT error, most specific class first.
_REASONS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (_NoMatchingKey, "no configured key matches its `kid`"),
    (jwt.ExpiredSignatureError, "it has expired (`exp`)"),
    (jwt.ImmatureSignatureError, "it is not yet valid (`nbf`)"),
    (jwt.InvalidAudienceError, "it is not meant for this audience (`aud`)"),
    (jwt.InvalidIssuerError, "it comes from another issuer (`iss`)"),
    (jwt.InvalidIssuedAtError, "its `iat` must be a number of seconds"),
    (jwt.InvalidAlgorithmError, "its signing algorithm (`alg`) is not accepted here"),
    (jwt.InvalidSignatureError, "its signature does not verify with the configured key"),
    (jwt.DecodeError, "it is not a well-formed JWT"),
)


def _rejection_reason(error: jwt.PyJWTError) -> str:
    if isinstance(error, jwt.MissingRequiredClaimError):
        claim = error.claim if error.claim in ("exp", "sub", "iss", "aud") else "a required"
        return f"Invalid token: the `{claim}` claim is missing."
    for kind, reason in _REASONS:
        if isinstance(error, kind):
            return f"Invalid token: {reason}."
    return "Invalid token: it could not be verified."


def _bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise Unauthenticated("Missing bearer token.", invalid_token=False)
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(
            "The Authorization header must be `Bearer <token>`.", invalid_token=True
        )
    return token.strip()


def _principal(claims: Mapping[str, Any]) -> Principal:
    for name in TIME_CLAIMS:
        value = claims.get(name)
        # PyJWT reads these with int(), so "1999999999" would pass as a time (RFC 7519:
        # a NumericDate is a JSON number).
        if name in claims and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise Unauthenticated(
                f"Invalid token: `{name}` must be a number of seconds since the epoch.",
                invalid_token=True,
            )
    subject = claims["sub"]
    if not isinstance(subject, str) or not 0 < len(subject) <= MAX_SUBJECT_LENGTH:
        raise Unauthenticated(
            f"Invalid token: `sub` must be a string of 1 to {MAX_SUBJECT_LENGTH} characters.",
            invalid_token=True,
        )
    if not _is_storable(subject):
        # It becomes the owner column: NUL cannot be stored in PostgreSQL, and a lone
        # surrogate cannot be encoded at all.
        raise Unauthenticated(
            "Invalid token: `sub` must not hold control characters or lone surrogates.",
            invalid_token=True,
        )
    return Principal(
        subject, admin=ADMIN_ROLE in _roles(claims.get("roles")), expires_at=float(claims["exp"])
    )


def _is_storable(text: str) -> bool:
    return not any(
        ord(character) < 0x20 or character == "\x7f" or "\ud800" <= character <= "\udfff"
        for character in text
    )


def _roles(claim: object) -> Sequence[object]:
    """`roles` as a list of names, or as one space-separated string (like OAuth's `scope`)."""
    if isinstance(claim, str):
        return claim.split()
    return claim if isinstance(claim, list) else []


def _verification_keys(settings: Settings) -> dict[str | None, _Key]:
    """The keys tokens may be signed with, by `kid` (None: a key without one)."""
    configured = settings.jwt_algorithms
    if settings.jwt_secret is not None:
        secret = settings.jwt_secret.get_secret_value().encode()
        return {None: _Key(secret, configured or ["HS256"])}
    assert settings.jwt_public_key_file is not None
    text = Path(settings.jwt_public_key_file).read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):
        return _jwks_keys(json.loads(text), configured)
    key = _pem_public_key(text.encode())
    return {None: _Key(key, configured or _algorithms_for(key))}


def _jwks_keys(document: Mapping[str, Any], configured: list[str]) -> dict[str | None, _Key]:
    """A JWK Set, or a single JWK; each key verifies only its own algorithm."""
    jwks = document.get("keys", [document])
    keys: dict[str | None, _Key] = {}
    for entry in jwks:
        jwk = jwt.PyJWK(entry)
        algorithms = [jwk.algorithm_name]
        if configured:
            algorithms = [name for name in algorithms if name in configured]
        if algorithms:
            keys[jwk.key_id] = _Key(jwk, algorithms)
    if not keys:
        raise ValueError("the JWKS file holds no key for CONVOGRAPH_JWT_ALGORITHMS")
    return keys


def _pem_public_key(data: bytes) -> Any:
    if b"BEGIN CERTIFICATE" in data:
        return x509.load_pem_x509_certificate(data).public_key()
    return load_pem_public_key(data)


def _algorithms_for(key: Any) -> list[str]:
    if isinstance(key, rsa.RSAPublicKey):
        return ["RS256"]
    if isinstance(key, ec.EllipticCurvePublicKey):
        return ["ES256"]
    if isinstance(key, ed25519.Ed25519PublicKey):
        return ["EdDSA"]
    raise ValueError(f"unsupported public key type {type(key).__name__}")


def authenticator_for(settings: Settings) -> Authenticator:
    if settings.auth == AuthMode.JWT:
        return BearerTokens(settings)
    return LocalOwner(settings.local_owner)
