"""An LTI 1.3 platform on 127.0.0.1 over TLS, for the tests: what Canvas or Moodle offer a
tool's services, with the shapes they send (IMS LTI Advantage: Names and Role Provisioning
Services 2.0, Assignment and Grade Services 2.0).

token    POST /login/oauth2/token: OAuth 2 client credentials with a client assertion
         (RFC 7523), a JWT checked with PyJWT against the tool's registered public key
         (issuer and subject the client id, audience the token URL, a jti used once)
jwks     GET /api/lti/security/jwks: the platform's own public key
launch   a person's click on a link, the OIDC authorization endpoint (lti_platform_launch.py)
members  GET /api/lti/courses/7/names_and_roles: a membership container, in pages (Link)
AGS      /api/lti/courses/7/line_items: line items (GET with resource_id/tag filters and
         pages, POST), one line item (GET, PUT, DELETE), its /scores (POST) and /results
Each service checks the bearer token and its scope.  The tests inject failures (an answer
of 429 with Retry-After, or 500; every token expired; a line item deleted), watch every
request, and may stop the tool at a chosen moment (`on_line_item_made`, `on_score`)."""
from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

COURSE = "/api/lti/courses/7"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
AGS_SCOPES = {"https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
              "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
              "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
              "https://purl.imsglobal.org/spec/lti-ags/scope/score"}
ACTIVITY = {"Initialized", "Started", "InProgress", "Submitted", "Completed"}
GRADING = {"FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"}
ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost (and its key), which the tool is told to trust."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test LMS")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                         x509.DNSName("localhost")]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "lms-cert.pem", folder / "lms-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def member(user_id: str, role: str, name: str, sourcedid: str = "", email: str = "") -> dict:
    """A member as Canvas and Moodle list them (role: a short name, made a full URI)."""
    given, _, family = name.partition(" ")
    entry = {"status": "Active", "user_id": user_id, "lti11_legacy_user_id": user_id.encode().hex(), "name": name,
             "picture": "https://lms.example/images/avatar-50.png", "given_name": given, "family_name": family,
             "email": email, "roles": [role if "://" in role else ROLE + role]}
    if sourcedid:
        entry["lis_person_sourcedid"] = sourcedid
    return entry


class Platform:
    def __init__(self, folder: Path, tool_public_key, client_id: str = "10000000000042", page_size: int = 2,
                 host: str = "127.0.0.1"):
        self.tool_key, self.client_id, self.page_size = tool_public_key, client_id, page_size
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.members: list[dict] = []
        self.line_items: dict[int, dict] = {}
        self.results: dict[tuple[int, str], dict] = {}     # (line item, userId): the last score taken
        self.score_posts: list[dict] = []
        self.requests: list[tuple[str, str]] = []
        self.tokens: dict[str, tuple[float, set[str]]] = {}
        self.token_requests = 0
        self.failures: list[dict] = []
        self.used_jti: set[str] = set()
        self.on_line_item_made = self.on_score = None
        # launches (lti_platform_launch.py): the tool as registered, the courses and their links
        self.tool: dict[str, str] = {}
        self.contexts: dict[str, dict] = {}
        self.links: dict[str, dict] = {}
        self.pending: dict[str, dict] = {}        # lti_message_hint: the launch it stands for
        self.launched: list[dict] = []
        self.deep_link_data: dict[str, str] = {}   # the `data` of each deep linking request: its course
        self.deep_linked: list[str] = []          # the links deep linking added
        self.refused_logins: list[list[str]] = []
        self.forger = None        # a key that is not the platform's: id_tokens signed with it must be refused
        self.lock = threading.Lock()
        self.cert, self.cert_key = self_signed_certificate(folder)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.cert_key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://{host}:{self.server.server_address[1]}"
        # shutdown() waits for the serving loop's next poll: half a second by default, per test
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def token_url(self) -> str:
        return self.url + "/login/oauth2/token"

    @property
    def lineitems_url(self) -> str:
        return self.url + COURSE + "/line_items"

    def config(self) -> dict:
        """The course.lti block for this platform."""
        return {"issuer": self.url, "client_id": self.client_id, "token_url": self.token_url,
                "jwks_url": self.url + "/api/lti/security/jwks",
                "memberships_url": self.url + COURSE + "/names_and_roles", "lineitems_url": self.lineitems_url}

    # what the tests do to it
    def fail(self, method: str, path_part: str, status: int, times: int = 1, retry_after: int | None = None):
        self.failures.append({"method": method, "part": path_part, "status": status, "times": times,
                              "retry_after": retry_after})

    def expire_tokens(self) -> None:
        self.tokens = {token: (0.0, scopes) for token, (_, scopes) in self.tokens.items()}

    def delete_line_item(self, resource_id: str) -> None:
        """As an instructor deletes a gradebook column: its scores go with it."""
        for number, item in list(self.line_items.items()):
            if item["resourceId"] == resource_id:
                del self.line_items[number]
                self.results = {k: v for k, v in self.results.items() if k[0] != number}

    def items_for(self, resource_id: str) -> list[dict]:
        return [i for i in self.line_items.values() if i.get("resourceId") == resource_id]

    def gradebook(self, resource_id: str) -> dict[str, dict]:
        """The LMS's gradebook column of the assignment: each user's last score."""
        (item,) = self.items_for(resource_id)
        number = int(item["id"].rsplit("/", 1)[1])
        return {user: score for (n, user), score in self.results.items() if n == number}

    def writes(self) -> list[tuple[str, str]]:
        return [(m, p) for m, p in self.requests if m in ("POST", "PUT", "DELETE") and "oauth2" not in p]


def _handler(platform: Platform):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):   # quiet
            pass

        def do_GET(self):
            self._serve("GET")

        def do_POST(self):
            self._serve("POST")

        def do_PUT(self):
            self._serve("PUT")

        def do_DELETE(self):
            self._serve("DELETE")

        def _serve(self, method: str) -> None:
            from lti_platform_launch import launch_route  # launches and services, in modules of their own
            from lti_platform_routes import route

            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            with platform.lock:
                platform.requests.append((method, parts.path))
                injected = next((f for f in platform.failures if f["times"] > 0 and f["method"] == method
                                 and f["part"] in parts.path), None)
                if injected:
                    injected["times"] -= 1
                    headers = {"Retry-After": str(injected["retry_after"])} if injected["retry_after"] is not None else {}
                    return self._answer(injected["status"], {"errors": [{"message": "injected"}]}, headers=headers)
                form = parse_qs(parts.query)
                if "form-urlencoded" in (self.headers.get("Content-Type") or ""):
                    form |= parse_qs(body.decode())
                status, answer, headers = launch_route(platform, method, parts.path, form) or \
                    route(platform, method, parts.path, parse_qs(parts.query), self.headers, body)
            hook = headers.pop("_after", None)
            if hook:
                hook()
            self._answer(status, answer, headers)

        def _answer(self, status: int, answer, headers: dict | None = None) -> None:
            headers = dict(headers or {})
            data = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode() if answer is not None \
                else b""
            self.send_response(status)
            self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
