"""The test platform's launches (lti_platform.py holds the server): what Canvas or Moodle do
when a person clicks the tool's link in a course, as the LTI 1.3 core and the IMS security
framework lay it out.

GET  /courses/<context>/links/<link>?user=<user_id>   the person clicks the link: an
     auto-submitting form sends the browser to the tool's OIDC login initiation URL
     (iss, login_hint, lti_message_hint, target_link_uri, client_id, lti_deployment_id)
GET  /courses/<context>/deep_link?user=<user_id>   an instructor adds the tool to the course
     (Canvas's assignment or link selection, Moodle's "Select content"): the same login, for
     an LtiDeepLinkingRequest
POST /courses/<context>/deep_link_return   the tool's LtiDeepLinkingResponse (a JWT checked
     with the tool's key, the platform's `data` echoed): each resource link becomes a link
     of the course with its custom parameters, and a line item with it if the tool asks
GET|POST /api/lti/authorize_redirect   the OIDC authorization endpoint: the tool's
     authentication request is checked (response_type id_token, form_post, prompt none, the
     registered client and redirect URI, the hints this platform gave), and an auto-submitting
     form posts an id_token signed with the platform's key to the redirect URI, with the
     claims of an LtiResourceLinkRequest as Canvas and Moodle send them (the link's custom
     parameters among them)."""
from __future__ import annotations

import secrets
import time

import jwt
from lti_platform import COURSE, NRPS_SCOPE, ROLE

from autograder.lms.lti_deep_link import auto_post  # the same auto-submitting form LMSs answer with

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"


def add_course(platform, context_id: str, label: str, title: str, deployment_id: str,
               members: list[dict] | None = None) -> None:
    """An LMS course (a context) that has the tool deployed; its members, else the platform's
    (those its Names and Role service lists)."""
    platform.contexts[context_id] = {"label": label, "title": title, "deployment_id": deployment_id,
                                     "members": members}


def member_of(platform, context_id: str, user_id: str) -> dict | None:
    people = platform.contexts[context_id]["members"] or platform.members
    return next((m for m in people if m["user_id"] == user_id), None)


def add_link(platform, context_id: str, link_id: str, title: str, custom: dict[str, str]) -> None:
    """A link to the tool in a course, with the custom parameters the instructor gave it."""
    platform.links[link_id] = {"context": context_id, "title": title, "custom": dict(custom)}


def launch_route(platform, method: str, path: str, form: dict[str, list[str]]):
    """(status, page, headers) for a launch path, else None."""
    def one(name):
        return (form.get(name) or [""])[0]

    parts = path.strip("/").split("/")
    if method == "GET" and len(parts) == 4 and parts[0] == "courses" and parts[2] == "links":
        return start(platform, parts[1], parts[3], one("user"))
    if method == "GET" and len(parts) == 3 and parts[0] == "courses" and parts[2] == "deep_link":
        return start(platform, parts[1], None, one("user"))
    if method == "POST" and len(parts) == 3 and parts[0] == "courses" and parts[2] == "deep_link_return":
        return deep_link_return(platform, parts[1], one("JWT"))
    if path == "/api/lti/authorize_redirect":
        return authorize(platform, one)
    return None


def start(platform, context_id: str, link_id: str | None, user_id: str):
    """A launch of a link (or, with no link, a deep linking request) by a member of the course."""
    link = platform.links.get(link_id) if link_id else {"context": context_id}
    if context_id not in platform.contexts or link is None or link["context"] != context_id \
            or member_of(platform, context_id, user_id) is None:
        return 404, "no such link in this course, or no such member", {"Content-Type": "text/plain"}
    hint = secrets.token_urlsafe(16)
    platform.pending[hint] = {"user": user_id, "link": link_id, "context": context_id}
    tool = platform.tool
    fields = {"iss": platform.url, "login_hint": user_id, "lti_message_hint": hint,
              "target_link_uri": tool["target_link_uri"], "client_id": platform.client_id,
              "lti_deployment_id": platform.contexts[context_id]["deployment_id"]}
    return 200, auto_post(tool["login_url"], fields), {"Content-Type": "text/html"}


def authorize(platform, one):
    """The authentication request checked as the security framework asks, then the id_token."""
    tool = platform.tool
    wrong = [name for name, value in (("response_type", "id_token"), ("scope", "openid"),
                                      ("response_mode", "form_post"), ("prompt", "none"),
                                      ("client_id", platform.client_id), ("redirect_uri", tool["redirect_uri"]))
             if one(name) != value]
    launch = platform.pending.pop(one("lti_message_hint"), None)
    if wrong or launch is None or launch["user"] != one("login_hint") or not one("nonce") or not one("state"):
        platform.refused_logins.append(wrong or ["hints or nonce"])
        return 400, f"invalid authentication request: {', '.join(wrong or ['hints, nonce or state'])}", \
            {"Content-Type": "text/plain"}
    token = jwt.encode(id_token(platform, launch, one("nonce")), platform.forger or platform.key, algorithm="RS256",
                       headers={"kid": "lms-1"})
    platform.launched.append(launch)
    return 200, auto_post(tool["redirect_uri"], {"id_token": token, "state": one("state")}), \
        {"Content-Type": "text/html"}


def id_token(platform, launch: dict, nonce: str) -> dict:
    """The claims of an LtiResourceLinkRequest, in the shapes Canvas and Moodle send."""
    context_id = launch["context"]
    person = member_of(platform, context_id, launch["user"])
    context = platform.contexts[context_id]
    now = int(time.time())
    claims = {
        "iss": platform.url, "aud": platform.client_id, "azp": platform.client_id, "sub": person["user_id"],
        "iat": now, "exp": now + 300, "nonce": nonce,
        "name": person["name"], "given_name": person["given_name"], "family_name": person["family_name"],
        "email": person["email"], "picture": person["picture"],
        CLAIM + "version": "1.3.0",
        CLAIM + "deployment_id": context["deployment_id"],
        CLAIM + "target_link_uri": platform.tool["target_link_uri"],
        CLAIM + "roles": person["roles"] + (["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student"]
                                            if ROLE + "Learner" in person["roles"] else []),
        CLAIM + "context": {"id": context_id, "label": context["label"], "title": context["title"],
                            "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"]},
        CLAIM + "launch_presentation": {"document_target": "iframe", "return_url": f"{platform.url}/courses/{context_id}",
                                        "locale": "en"},
        CLAIM + "tool_platform": {"guid": "test-lms", "name": "Test LMS", "product_family_code": "canvas"},
        "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
            "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                      "https://purl.imsglobal.org/spec/lti-ags/scope/score"],
            "lineitems": platform.url + COURSE + "/line_items"},
        "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
            "context_memberships_url": platform.url + COURSE + "/names_and_roles", "service_versions": ["2.0"],
            "scope": NRPS_SCOPE},
    }
    if launch["link"]:
        link = platform.links[launch["link"]]
        claims |= {CLAIM + "message_type": "LtiResourceLinkRequest",
                   CLAIM + "resource_link": {"id": launch["link"], "title": link["title"], "description": ""},
                   CLAIM + "custom": dict(link["custom"])}
    else:
        data = secrets.token_urlsafe(12)
        platform.deep_link_data[data] = context_id
        claims |= {CLAIM + "message_type": "LtiDeepLinkingRequest", DL + "deep_linking_settings": {
            "deep_link_return_url": f"{platform.url}/courses/{context_id}/deep_link_return",
            "accept_types": ["ltiResourceLink"], "accept_presentation_document_targets": ["iframe", "window"],
            "accept_multiple": False, "auto_create": True, "data": data}}
    if person.get("lis_person_sourcedid"):
        claims[CLAIM + "lis"] = {"person_sourcedid": person["lis_person_sourcedid"],
                                 "course_offering_sourcedid": context["label"]}
    return claims


def deep_link_return(platform, context_id: str, token: str):
    """The tool's answer to a deep linking request, checked as the platform must: signed with
    the tool's key, from the tool to this platform, for this deployment, echoing `data`."""
    try:
        claims = jwt.decode(token, platform.tool_key, algorithms=["RS256"], audience=platform.url,
                            issuer=platform.client_id, options={"require": ["exp", "iat", "nonce"]})
    except jwt.PyJWTError as exc:
        return 400, f"the deep linking response is refused: {exc}", {"Content-Type": "text/plain"}
    wrong = [name for name, ok in (
        ("message_type", claims.get(CLAIM + "message_type") == "LtiDeepLinkingResponse"),
        ("version", claims.get(CLAIM + "version") == "1.3.0"),
        ("deployment_id", claims.get(CLAIM + "deployment_id") == platform.contexts[context_id]["deployment_id"]),
        ("data", platform.deep_link_data.pop(claims.get(DL + "data"), None) == context_id)) if not ok]
    if wrong:
        return 400, f"the deep linking response is refused: {', '.join(wrong)}", {"Content-Type": "text/plain"}
    added = []
    for item in claims.get(DL + "content_items") or []:
        if item.get("type") != "ltiResourceLink":
            continue
        link_id = f"dl-{len(platform.links) + 1}"
        add_link(platform, context_id, link_id, item.get("title") or "", item.get("custom") or {})
        if item.get("lineItem"):      # the column goes with the link, as Canvas makes an assignment
            number = max(platform.line_items, default=0) + 1
            wanted = item["lineItem"]
            platform.line_items[number] = {
                "id": f"{platform.lineitems_url}/{number}", "label": wanted.get("label") or item.get("title"),
                "scoreMaximum": wanted["scoreMaximum"], "resourceLinkId": link_id,
                **{k: wanted[k] for k in ("resourceId", "tag") if k in wanted}}
        added.append(link_id)
    platform.deep_linked.extend(added)
    return 200, f"<!doctype html><p>Added to the course: {', '.join(added) or 'nothing'}</p>", {"Content-Type": "text/html"}
