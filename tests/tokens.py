"""Signing keys and JWTs for tests: an HS256 secret, an RSA key (PEM) and EC keys (JWKS)."""

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

SECRET = "test-secret-for-hs256-at-least-32-bytes-long"
LIFETIME_SECONDS = 300


def claims(**overrides: Any) -> dict[str, Any]:
    """A valid claim set for `alice`; an override of None removes that claim."""
    now = int(time.time())
    values: dict[str, Any] = {"sub": "alice", "iat": now, "exp": now + LIFETIME_SECONDS}
    values.update(overrides)
    return {name: value for name, value in values.items() if value is not None}


def hs256(**overrides: Any) -> str:
    return jwt.encode(claims(**overrides), SECRET, algorithm="HS256")


@dataclass(frozen=True)
class KeyFiles:
    """An RSA key whose public half is a PEM file, and two EC keys in a JWKS file."""

    rsa_private: rsa.RSAPrivateKey
    pem_path: Path
    ec_private: dict[str, ec.EllipticCurvePrivateKey]
    jwks_path: Path

    def rs256(self, **overrides: Any) -> str:
        return jwt.encode(claims(**overrides), self.rsa_private, algorithm="RS256")

    def es256(self, kid: str | None, **overrides: Any) -> str:
        key = self.ec_private["first" if kid is None else kid]
        headers = {"kid": kid} if kid is not None else None
        return jwt.encode(claims(**overrides), key, algorithm="ES256", headers=headers)


def key_files(directory: Path) -> KeyFiles:
    rsa_private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem_path = directory / "public.pem"
    pem_path.write_bytes(
        rsa_private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    ec_private = {kid: ec.generate_private_key(ec.SECP256R1()) for kid in ("first", "second")}
    jwks = []
    for kid, private in ec_private.items():
        jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key()))
        jwks.append({**jwk, "kid": kid, "use": "sig", "alg": "ES256"})
    jwks_path = directory / "jwks.json"
    jwks_path.write_text(json.dumps({"keys": jwks}))
    return KeyFiles(rsa_private, pem_path, ec_private, jwks_path)
