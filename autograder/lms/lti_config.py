"""Where the course reaches its LMS over LTI 1.3: the `lti:` entry of the `course:` block of
_config.yml, and the tool's private key, which is read from a file or the environment and
never written anywhere.

    course:
      lti:
        issuer: https://canvas.instructure.com
        client_id: "10000000000042"
        token_url: https://canvas.example.edu/login/oauth2/token
        jwks_url: https://canvas.example.edu/api/lti/security/jwks       # the platform's keys
        memberships_url: https://canvas.example.edu/api/lti/courses/7/names_and_roles
        lineitems_url: https://canvas.example.edu/api/lti/courses/7/line_items
        private_key_file: ~/.config/course/lti-key.pem   # outside the course's folder
        student_id: [lis_person_sourcedid, user_id]      # the first a member has

The environment wins over the file: COURSE_LTI_PRIVATE_KEY (the PEM text itself) or
COURSE_LTI_PRIVATE_KEY_FILE (its path).  The key id (`kid`) the platform matches the
signature with is the key's RFC 7638 thumbprint unless `key_id` names another."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..course import CONFIG_FILE, _config_file
from ..errors import UsageError

REQUIRED = ("issuer", "client_id", "token_url")
OPTIONAL = ("jwks_url", "memberships_url", "lineitems_url", "private_key_file", "key_id", "audience",
            "deployment_id", "student_id")
ASSIGNMENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")   # an nbgrader assignment or course id, as a launch names it
ID_CLAIMS = ("lis_person_sourcedid", "user_id", "sub", "email")   # sub: NRPS calls it user_id


@dataclass(frozen=True)
class LtiSettings:
    issuer: str
    client_id: str
    token_url: str
    jwks_url: str = ""
    memberships_url: str = ""
    lineitems_url: str = ""
    private_key_file: str = ""
    key_id: str = ""
    audience: str = ""                 # the client assertion's `aud` (default: the token URL)
    deployment_id: str = ""
    student_id: tuple[str, ...] = ("lis_person_sourcedid", "user_id")
    where: str = field(default="", compare=False)    # the file, for messages
    root: Path | None = field(default=None, compare=False)

    def need(self, key: str) -> str:
        value = getattr(self, key)
        if not value:
            raise UsageError(f"{self.where}: course.lti.{key} is not set (see the instructor guide, "
                             f"'Canvas and Moodle with LTI 1.3')")
        return value


def read_lti_settings(root: Path, complete: bool = True) -> LtiSettings:
    """The course's settings; `complete=False` (for the public key, which the LMS asks for
    before it gives the client id) lets the platform's part be missing."""
    where = str(root / CONFIG_FILE)
    block = (_config_file(root).get("course") or {}).get("lti")
    if block is None and not complete:
        block = {}
    if not isinstance(block, dict):
        raise UsageError(f"{where}: no course.lti block; set the platform's addresses there "
                         f"(see the instructor guide, 'Canvas and Moodle with LTI 1.3')")
    unknown = set(block) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        raise UsageError(f"{where}: unknown key(s) in course.lti: {', '.join(sorted(unknown))}")
    missing = [k for k in REQUIRED if not block.get(k)]
    if missing and complete:
        raise UsageError(f"{where}: course.lti needs {', '.join(missing)}")
    claims = block.get("student_id") or ["lis_person_sourcedid", "user_id"]
    claims = [claims] if isinstance(claims, str) else claims
    if not isinstance(claims, list) or not claims or any(c not in ID_CLAIMS for c in claims):
        raise UsageError(f"{where}: course.lti.student_id must list claims among {', '.join(ID_CLAIMS)}")
    values = {k: str(block[k]) for k in (*REQUIRED, *OPTIONAL) if k != "student_id" and block.get(k)}
    values.update({k: "" for k in missing})
    return LtiSettings(**values, student_id=tuple(claims), where=where, root=root)


def private_key_pem(settings: LtiSettings) -> bytes:
    """The tool's private key (PEM): COURSE_LTI_PRIVATE_KEY, else the file that
    COURSE_LTI_PRIVATE_KEY_FILE or course.lti.private_key_file names.  A key inside the
    course's folder is refused: that folder is a repository students may read."""
    text = os.environ.get("COURSE_LTI_PRIVATE_KEY", "")
    if text.strip():
        return text.encode()
    name = os.environ.get("COURSE_LTI_PRIVATE_KEY_FILE") or settings.private_key_file
    if not name:
        raise UsageError(f"{settings.where}: no private key: set course.lti.private_key_file or "
                         f"COURSE_LTI_PRIVATE_KEY_FILE")
    path = Path(name).expanduser()
    if settings.root is not None and not path.is_absolute():
        path = settings.root / path
    if settings.root is not None and path.resolve().is_relative_to(settings.root.resolve()):
        raise UsageError(f"{path}: the LTI private key is inside the course's folder; move it outside "
                         f"(a repository must never hold it)")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: the LTI private key cannot be read ({exc.strerror})") from None


def load_private_key(settings: LtiSettings):
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(private_key_pem(settings), password=None)
    except (ValueError, TypeError):
        raise UsageError(f"{settings.where}: the LTI private key is not an unencrypted PEM key") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise UsageError(f"{settings.where}: the LTI private key must be an RSA key (LTI 1.3 signs with RS256)")
    return key


def public_jwk(key, key_id: str = "") -> dict:
    """The public half of a key (private or public) as a JWK, with its `kid`: what the
    platform is given (pasted or at a keys URL) to check the tool's signatures."""
    from jwt.algorithms import RSAAlgorithm

    public = key.public_key() if hasattr(key, "public_key") else key
    jwk = json.loads(RSAAlgorithm.to_jwk(public))
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"), sort_keys=True)
    thumbprint = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
    return {**jwk, "kid": key_id or thumbprint, "alg": "RS256", "use": "sig"}
