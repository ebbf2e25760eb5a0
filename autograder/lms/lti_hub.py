"""The hub's side of an LTI 1.3 launch: JupyterHub logs a student in from Canvas or Moodle
through `jupyterhub-ltiauthenticator` (the OIDC login, the id_token checked against the
platform's keys) and sends them to the assignment the link names.  In jupyterhub_config.py:

    from autograder.lms.lti_hub import CourseLTI13Authenticator
    c.JupyterHub.authenticator_class = CourseLTI13Authenticator

What this adds to the library's LTI13Authenticator:
- the student id, in one documented way: the first of `student_id_claims` the launch
  carries (default: the SIS id `lis.person_sourcedid`, then `sub`), as the roster takes it;
- where a launch lands: a link with the custom parameter `assignment` (or `?assignment=` in
  the link's URL) opens the student's server on that assignment (`course/open`, lti_open.py,
  fetches it from nbgrader's exchange if it is not fetched yet); instructors land in
  formgrader; `courses` maps each LMS course (its context id) to the nbgrader course a
  launch from it belongs to;
- the tool's public keys URL, `/hub/lti13/jwks`, from `tool_key_file`, which the LMS
  checks the tool's signatures with (`course lti roster|publish` sign with the same key);
- Deep Linking (lti_deep_link.py): an instructor adding the tool in the LMS picks a released
  assignment, and the link made carries it as its custom parameter `assignment`."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from jupyterhub.handlers import BaseHandler
from jupyterhub.utils import url_path_join
from ltiauthenticator.lti13.auth import LTI13Authenticator
from ltiauthenticator.lti13.error import LoginError
from ltiauthenticator.lti13.handlers import LTI13CallbackHandler
from tornado.httputil import url_concat
from tornado.web import HTTPError
from traitlets import Dict, List, Unicode

from .lti_config import ASSIGNMENT_ID as ID
from .lti_config import public_jwk
from .lti_deep_link import SIGNED_NAME, DeepLinkHandler, request_settings

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
STAFF_ROLES = ("membership#Instructor", "membership/Instructor#TeachingAssistant", "membership#Administrator",
               "membership#ContentDeveloper", "institution/person#Administrator")


def launch_claim(token: dict, name: str):
    """A claim of the id_token: `lis.person_sourcedid` is `person_sourcedid` of the lis claim,
    `custom.assignment` a custom parameter, `sub` or `email` a claim of OpenID Connect's."""
    group, _, key = name.partition(".")
    if key:
        value = (token.get(CLAIM + group) or {}).get(key)
    else:
        value = token.get(name)
    return value.strip() if isinstance(value, str) else None


def link_assignment(token: dict) -> str | None:
    """`assignment` in the query of the link's URL (the signed target_link_uri claim), for an
    LMS that lets a link have its own URL but not its own custom parameters."""
    query = parse_qs(urlsplit(token.get(CLAIM + "target_link_uri") or "").query)
    return (query.get("assignment") or [None])[0]


def is_staff(token: dict) -> bool:
    return any(role.endswith(STAFF_ROLES) for role in token.get(CLAIM + "roles") or [])


class CourseLaunchHandler(LTI13CallbackHandler):
    """The library's launch (checks and login), then the way to what the link names."""

    _launch: dict | None = None

    def decode_and_validate_launch_request(self) -> dict:
        self._launch = super().decode_and_validate_launch_request()
        return self._launch

    def get_next_url(self, user=None):
        launch = self._launch or {}
        if launch.get(CLAIM + "message_type") == "LtiDeepLinkingRequest" and user is not None:
            return self.deep_link_url(launch, user)
        destination = self.authenticator.destination(launch)
        if destination is None or user is None:
            return super().get_next_url(user)
        # the spawn page starts the user's server if it is not running, then goes on to `next`
        return url_concat(url_path_join(self.hub.base_url, "spawn", user.escaped_name),
                          {"next": url_path_join(user.url, destination)})

    def deep_link_url(self, launch: dict, user) -> str:
        """The instructor's pick of an assignment (lti_deep_link.py), with the request's
        settings signed by the hub so that no one can change where the answer goes."""
        if not is_staff(launch):
            raise HTTPError(403, "only instructors add links to the course")
        settings = request_settings(launch, user.name, self.authenticator.course_of(launch))
        signed = self.create_signed_value(SIGNED_NAME, json.dumps(settings)).decode()
        return url_concat(url_path_join(self.hub.base_url, "lti13", "deep_link"), {"request": signed})


class ToolKeysHandler(BaseHandler):
    """The tool's public key set (JWKS), for the LMS's *Public JWK URL* / *Public keyset URL*."""

    def check_xsrf_cookie(self):
        return

    async def get(self):
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "max-age=300")
        self.write(json.dumps({"keys": self.authenticator.tool_keys()}))


class CourseLTI13Authenticator(LTI13Authenticator):
    callback_handler = CourseLaunchHandler

    student_id_claims = List(Unicode(), ["lis.person_sourcedid", "sub"], config=True, help="""
        Where the student id (the hub's user name and nbgrader's student id) comes from: the
        first of these claims the launch carries.  `lis.person_sourcedid` is the SIS id (Canvas's
        SIS User ID with the privacy level Public, Moodle's ID number), `sub` the LMS's own
        opaque user id, `email` the address; `custom.NAME` a custom parameter.""")
    courses = Dict(Unicode(), {}, config=True, help="""
        The nbgrader course id of each LMS course, by the LMS course's context id (the
        `context.id` claim; the hub's log names it at a launch it does not know).  Empty: one
        course on the hub, the one nbgrader's own configuration names.""")
    instructor_path = Unicode("formgrader", config=True, help="""
        Where an instructor's launch lands, in their own server (formgrader by default).""")
    tool_key_file = Unicode("", config=True, help="""
        The tool's key (a PEM file: the public key, or the private key `course lti` signs with),
        whose public half /hub/lti13/jwks serves.  Deep Linking signs its answers with it, so
        needs the private key.  Only the public half ever leaves the hub.""")
    exchange_root = Unicode("/srv/nbgrader/exchange", config=True, help="""
        nbgrader's exchange (Exchange.root), where Deep Linking finds the released assignments.""")
    tool_key_id = Unicode("", config=True, help="""
        The key's `kid`, if course.lti.key_id names one (default: its RFC 7638 thumbprint).""")

    def get_handlers(self, app):
        return [*super().get_handlers(app), ("/lti13/jwks", ToolKeysHandler), ("/lti13/deep_link", DeepLinkHandler)]

    async def authenticate(self, handler, data=None):
        self.course_of(data or {})      # a launch from an LMS course the hub does not serve stops here
        return await super().authenticate(handler, data)

    def get_username(self, token: dict) -> str:
        for name in self.student_id_claims:
            value = launch_claim(token, name)
            if value:
                return value
        raise LoginError(f"the launch carries none of {', '.join(self.student_id_claims)} "
                         f"(CourseLTI13Authenticator.student_id_claims) to name the student")

    def normalize_username(self, username: str) -> str:
        """The id as the LMS gives it: JupyterHub would make it lower case, and then a SIS id
        with capitals would not be the student id the roster and the exports carry."""
        return self.username_map.get(username, username)

    def course_of(self, token: dict) -> str | None:
        """The nbgrader course a launch belongs to (None: the hub's only course)."""
        if not self.courses:
            return None
        context = token.get(CLAIM + "context") or {}
        course = self.courses.get(str(context.get("id", "")))
        if course is None:
            self.log.warning("LTI launch from LMS course %r (%s, context id %r), which "
                             "CourseLTI13Authenticator.courses does not name", context.get("title"),
                             context.get("label"), context.get("id"))
            raise HTTPError(403, f"This hub does not serve the LMS course {context.get('title') or ''} "
                                 f"(context id {context.get('id')}); ask the hub's administrator to add it.")
        return course

    def destination(self, token: dict) -> str | None:
        """The path in the user's server a launch lands on (None: the hub's default)."""
        course = self.course_of(token)
        if is_staff(token):
            return self.instructor_path or None
        assignment = launch_claim(token, "custom.assignment") or link_assignment(token)
        if not assignment:
            return None
        if not ID.fullmatch(assignment):
            raise HTTPError(400, f"the link's custom parameter assignment={assignment!r} is no assignment id")
        query = {"assignment": assignment, **({"course": course} if course else {})}
        return "course/open?" + urlencode(query)

    def _tool_key(self):
        from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key

        data = Path(self.tool_key_file).expanduser().read_bytes()
        return load_pem_public_key(data) if b"PUBLIC KEY" in data else load_pem_private_key(data, password=None)

    def tool_keys(self) -> list[dict]:
        """The public JWK of `tool_key_file`, as `course lti public-key` prints it."""
        return [public_jwk(self._tool_key(), self.tool_key_id)] if self.tool_key_file else []

    def tool_private_key(self):
        key = self._tool_key() if self.tool_key_file else None
        if not hasattr(key, "sign"):
            raise HTTPError(500, "Deep Linking signs with the tool's private key: set "
                                 "CourseLTI13Authenticator.tool_key_file to it")
        return key
