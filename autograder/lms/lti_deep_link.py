"""LTI Deep Linking on the hub: how an instructor adds an assignment's link in Canvas or
Moodle.  The LMS sends an LtiDeepLinkingRequest launch (`jupyterhub-ltiauthenticator`
checks it and logs the instructor in, as any launch); lti_hub.py sends it here with the
request's settings signed by the hub.  The instructor picks one of the course's released
assignments; the hub answers the LMS with an LtiDeepLinkingResponse, a JWT signed with the
tool's private key, holding one resource link whose custom parameter `assignment` names the
pick, and a line item (gradebook column) tied to it whose resourceId and tag are the
assignment's id, so that `course lti publish` posts into that column rather than making
another.  Later launches of the link carry `assignment`, which lti_hub.py opens.

The assignments offered are those released in nbgrader's exchange (`exchange_root`), with
their points read from the released notebooks."""
from __future__ import annotations

import html
import json
import time
import uuid
from pathlib import Path

import nbformat
from jupyterhub.handlers import BaseHandler
from tornado.web import HTTPError, decode_signed_value

from .lti_config import ASSIGNMENT_ID as ID
from .lti_config import public_jwk

CLAIM, DL = "https://purl.imsglobal.org/spec/lti/claim/", "https://purl.imsglobal.org/spec/lti-dl/claim/"
SIGNED_NAME, MAX_AGE_DAYS = "lti-deep-link", 1 / 24      # an instructor picks within the hour


def request_settings(token: dict, user: str, course: str | None) -> dict:
    """What the response needs from the deep linking request (kept signed until the pick)."""
    settings = token.get(DL + "deep_linking_settings") or {}
    if not settings.get("deep_link_return_url"):
        raise HTTPError(400, "the deep linking request has no deep_link_return_url")
    return {"user": user, "course": course, "iss": token["iss"], "aud": token["aud"],
            "deployment_id": token.get(CLAIM + "deployment_id"), "return_url": settings["deep_link_return_url"],
            "data": settings.get("data"), "title": (token.get(CLAIM + "context") or {}).get("title", "")}


def released(exchange_root: str, course: str | None) -> dict[str, float]:
    """The assignments released in the exchange (of `course`, else of every course there)
    and the points of each, from nbgrader's metadata in its released notebooks."""
    root = Path(exchange_root)
    found: dict[str, float] = {}
    for outbound in sorted(root.glob(f"{course or '*'}/outbound/*")):
        if outbound.is_dir() and ID.fullmatch(outbound.name):
            points = 0.0
            for path in outbound.glob("*.ipynb"):
                for cell in nbformat.read(path, as_version=4).cells:
                    meta = cell.metadata.get("nbgrader", {})
                    points += float(meta.get("points") or 0) if meta.get("grade") or meta.get("task") else 0.0
            found[outbound.name] = points
    return found


def response_token(settings: dict, assignment: str, points: float, key, key_id: str) -> str:
    """The LtiDeepLinkingResponse: one resource link to the assignment, and its column."""
    import jwt

    item = {"type": "ltiResourceLink", "title": f"{assignment}", "custom": {"assignment": assignment}}
    if points > 0:
        item["lineItem"] = {"scoreMaximum": points, "label": assignment, "resourceId": assignment, "tag": assignment}
    audience = settings["aud"][0] if isinstance(settings["aud"], list) else settings["aud"]
    now = int(time.time())
    claims = {"iss": audience, "aud": settings["iss"], "iat": now, "exp": now + 600, "nonce": uuid.uuid4().hex,
              CLAIM + "message_type": "LtiDeepLinkingResponse", CLAIM + "version": "1.3.0",
              CLAIM + "deployment_id": settings["deployment_id"], DL + "content_items": [item]}
    if settings.get("data") is not None:
        claims[DL + "data"] = settings["data"]
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": public_jwk(key, key_id)["kid"]})


def auto_post(url: str, fields: dict[str, str]) -> str:
    """A page that moves the browser on by POST, as LTI's cross-site steps must."""
    inputs = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items())
    return (f'<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" '
            f'action="{html.escape(url)}">{inputs}<button>Continue</button></form></body></html>')


class DeepLinkHandler(BaseHandler):
    """/hub/lti13/deep_link: the instructor's pick, then the signed answer to the LMS."""

    def settings_for(self) -> dict:
        user = self.current_user
        signed = self.get_argument("request", "")
        value = decode_signed_value(self.settings["cookie_secret"], SIGNED_NAME, signed, max_age_days=MAX_AGE_DAYS)
        if user is None or value is None:
            raise HTTPError(403, "this page comes from a deep linking launch of the LMS; launch again from there")
        settings = json.loads(value)
        if settings["user"] != user.name:
            raise HTTPError(403, "this deep linking request was launched by someone else")
        return settings

    async def get(self):
        settings, signed = self.settings_for(), self.get_argument("request")
        offered = released(self.authenticator.exchange_root, settings["course"])
        options = "".join(f'<li><label><input type="radio" name="assignment" value="{html.escape(a)}"'
                          f'{" checked" if not n else ""}> {html.escape(a)} ({points:g} points)</label></li>'
                          for n, (a, points) in enumerate(offered.items()))
        page = (f'<!doctype html><html><head><title>Add an assignment</title></head><body><main>'
                f'<h1>Add an assignment to {html.escape(settings["title"])}</h1>'
                + (f'<form method="post"><ul>{options}</ul>'
                   f'<input type="hidden" name="request" value="{html.escape(signed)}">'
                   f'<input type="hidden" name="_xsrf" value="{html.escape(self.xsrf_token.decode())}">'
                   f'<button type="submit">Add the link</button></form>' if offered else
                   '<p>No assignment of this course is released yet: release one with '
                   '<code>nbgrader release_assignment</code>, then add the link again.</p>')
                + '</main></body></html>')
        self.write(page)

    async def post(self):
        settings = self.settings_for()
        assignment = self.get_argument("assignment", "")
        offered = released(self.authenticator.exchange_root, settings["course"])
        if assignment not in offered:
            raise HTTPError(400, f"{assignment!r} is not an assignment released in this course")
        key, key_id = self.authenticator.tool_private_key(), self.authenticator.tool_key_id
        token = response_token(settings, assignment, offered[assignment], key, key_id)
        self.log.info("LTI deep link: %s added %s to %s", settings["user"], assignment, settings["title"])
        self.write(auto_post(settings["return_url"], {"JWT": token}))
