"""Development Clerk-style session tokens: an RSA key pair kept under var/dev-keys and RS256
tokens signed with it, shaped like Clerk's v2 session tokens (providers.md 5.1).

Used by tools/dev-token (printed by tools/run) and by Tests/Interop. The server trusts the
public key through CLERK_JWT_KEY, exactly as it would trust Clerk's.
"""

import json
import pathlib
import time
import uuid

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

ISSUER = "https://dev.clerk.call-booking.local"


def _b64url(data: bytes) -> str:
    import base64
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class DevKey:
    def __init__(self, private_key):
        self.private_key = private_key

    @classmethod
    def generate(cls):
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @classmethod
    def load_or_create(cls, directory: pathlib.Path):
        path = directory / "clerk-dev-private.pem"
        if path.exists():
            return cls(serialization.load_pem_private_key(path.read_bytes(), password=None))
        key = cls.generate()
        directory.mkdir(parents=True, exist_ok=True)
        path.write_bytes(key.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        path.chmod(0o600)
        return key

    @property
    def public_pem(self) -> str:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def sign(self, claims: dict, header: dict | None = None) -> str:
        header = header or {"alg": "RS256", "typ": "JWT", "kid": "ins_dev"}
        signing_input = f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(claims).encode())}"
        signature = self.private_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64url(signature)}"

    def token(self, sub: str, role: str | None = None, email: str | None = None, lifetime: int = 3600,
              now: float | None = None, **extra) -> str:
        now = int(now if now is not None else time.time())
        claims = {"iss": ISSUER, "sub": sub, "sid": f"sess_{uuid.uuid4().hex[:12]}", "iat": now, "nbf": now - 5,
                  "exp": now + lifetime, "v": 2, "sts": "active"}
        if role is not None:
            claims["metadata"] = {"role": role}
        if email is not None:
            # As a Clerk session token template with {{user.primary_email_address}} and
            # {{user.email_verified}} carries them; pass email_verified=False to say otherwise.
            claims["email"] = email
            claims["email_verified"] = True
        claims.update(extra)
        return self.sign(claims)
