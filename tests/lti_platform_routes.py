"""The test platform's services (lti_platform.py holds the server and what the tests do to
it): each takes the request and gives (status, JSON answer, headers), called with the
platform's lock held."""
from __future__ import annotations

import datetime
import json
import secrets
import time
from urllib.parse import urlencode

import jwt
from lti_platform import ACTIVITY, AGS_SCOPES, COURSE, GRADING, NRPS_SCOPE

MEMBERSHIPS = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
LINE_ITEM = "application/vnd.ims.lis.v2.lineitem+json"
LINE_ITEMS = "application/vnd.ims.lis.v2.lineitemcontainer+json"
SCORE = "application/vnd.ims.lis.v1.score+json"
RESULTS = "application/vnd.ims.lis.v2.resultcontainer+json"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


def route(platform, method: str, path: str, query: dict, headers, body: bytes):
    if path == "/login/oauth2/token" and method == "POST":
        from urllib.parse import parse_qs
        return (*check_assertion(platform, parse_qs(body.decode())), {})
    if path == "/api/lti/security/jwks" and method == "GET":
        from jwt.algorithms import RSAAlgorithm
        key = json.loads(RSAAlgorithm.to_jwk(platform.key.public_key())) | {"kid": "lms-1", "alg": "RS256", "use": "sig"}
        return 200, {"keys": [key]}, {}
    needed = NRPS_SCOPE if path.endswith("/names_and_roles") else SCORE_SCOPE if path.endswith("/scores") \
        else LINEITEM_SCOPE
    refused = authorised(platform, headers, needed)
    if refused:
        return refused
    if path == COURSE + "/names_and_roles" and method == "GET":
        return members(platform, query, headers)
    if path == COURSE + "/line_items":
        return line_items(platform, method, query, headers, body)
    rest = path.removeprefix(COURSE + "/line_items/").split("/")
    if not path.startswith(COURSE + "/line_items/") or not rest[0].isdigit():
        return 404, {"errors": [{"message": "no such service"}]}, {}
    number = int(rest[0])
    if number not in platform.line_items:
        return 404, {"errors": [{"message": "The specified resource does not exist."}]}, {}
    if rest[1:] == ["scores"] and method == "POST":
        return score(platform, number, headers, body)
    if rest[1:] == ["results"] and method == "GET":
        found = [{"id": f"{platform.line_items[number]['id']}/results/{user}", "scoreOf": platform.line_items[number]["id"],
                  "userId": user, "resultScore": s.get("scoreGiven"), "resultMaximum": s.get("scoreMaximum")}
                 for (n, user), s in platform.results.items() if n == number]
        return 200, found, {"Content-Type": RESULTS}
    if rest[1:] == []:
        return line_item(platform, method, number, headers, body)
    return 404, {"errors": [{"message": "no such service"}]}, {}


def check_assertion(platform, form: dict[str, list[str]]) -> tuple[int, dict]:
    """The token endpoint: the client assertion checked as RFC 7523 and LTI 1.3 ask."""
    def one(name):
        return (form.get(name) or [""])[0]

    if one("grant_type") != "client_credentials" or \
            one("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
        return 400, {"error": "unsupported_grant_type"}
    try:
        claims = jwt.decode(one("client_assertion"), platform.tool_key, algorithms=["RS256"],
                            audience=platform.token_url, issuer=platform.client_id,
                            options={"require": ["exp", "iat", "jti", "sub"]})
    except jwt.PyJWTError as exc:
        return 401, {"error": "invalid_client", "error_description": str(exc)}
    if claims["sub"] != platform.client_id or claims["jti"] in platform.used_jti:
        return 401, {"error": "invalid_client", "error_description": "wrong sub, or a jti used before"}
    platform.used_jti.add(claims["jti"])
    scopes = set(one("scope").split())
    if not scopes or not scopes <= AGS_SCOPES | {NRPS_SCOPE}:
        return 400, {"error": "invalid_scope"}
    token = secrets.token_urlsafe(24)
    platform.tokens[token] = (time.time() + 3600, scopes)
    platform.token_requests += 1
    return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": " ".join(sorted(scopes))}


def authorised(platform, headers, scope: str):
    """None, or the answer to a request without a live token holding `scope`."""
    token = (headers.get("Authorization") or "").removeprefix("Bearer ").strip()
    expires, scopes = platform.tokens.get(token, (0.0, set()))
    if time.time() >= expires:
        return 401, {"errors": [{"message": "Invalid access token"}]}, {"WWW-Authenticate": 'Bearer error="invalid_token"'}
    if scope not in scopes:
        return 403, {"errors": [{"message": f"Insufficient scope: {scope}"}]}, {}
    return None


def page_of(platform, items: list, query: dict, url: str) -> tuple[list, dict]:
    """One page of `items` (the client's `limit`, else the platform's page size) and its Link."""
    size = int((query.get("limit") or [0])[0]) or platform.page_size
    page = int((query.get("page") or [1])[0])
    chunk = items[(page - 1) * size: page * size]
    if page * size >= len(items):
        return chunk, {}
    rest = {k: v[0] for k, v in query.items() if k != "page"}
    return chunk, {"Link": f'<{url}?{urlencode({**rest, "page": page + 1})}>; rel="next"'}


def members(platform, query, headers):
    if MEMBERSHIPS not in (headers.get("Accept") or ""):
        return 406, {"errors": [{"message": f"Accept {MEMBERSHIPS}"}]}, {}
    url = platform.url + COURSE + "/names_and_roles"
    chunk, link = page_of(platform, platform.members, query, url)
    answer = {"id": url, "context": {"id": "4dde05e8ca1973bcca9bffc13e1548820eee93a3", "label": "PEACE101",
                                     "title": "Contested Peace"}, "members": chunk}
    return 200, answer, {"Content-Type": MEMBERSHIPS, **link}


def _json(headers, body: bytes, media_type: str):
    if (headers.get("Content-Type") or "").split(";")[0].strip() != media_type:
        return None, (415, {"errors": [{"message": f"Content-Type must be {media_type}"}]}, {})
    try:
        return json.loads(body), None
    except ValueError:
        return None, (400, {"errors": [{"message": "not JSON"}]}, {})


def line_items(platform, method, query, headers, body):
    url = platform.lineitems_url
    if method == "GET":
        items = list(platform.line_items.values())
        for param, key in (("resource_id", "resourceId"), ("tag", "tag"), ("resource_link_id", "resourceLinkId")):
            if query.get(param):
                items = [i for i in items if i.get(key) == query[param][0]]
        chunk, link = page_of(platform, items, query, url)
        return 200, chunk, {"Content-Type": LINE_ITEMS, **link}
    if method != "POST":
        return 405, None, {}
    item, refused = _json(headers, body, LINE_ITEM)
    if refused:
        return refused
    if not isinstance(item.get("scoreMaximum"), int | float) or item["scoreMaximum"] <= 0 or not item.get("label"):
        return 400, {"errors": [{"message": "label and a scoreMaximum above 0 are required"}]}, {}
    number = max(platform.line_items, default=0) + 1
    made = {k: item[k] for k in ("scoreMaximum", "label", "resourceId", "tag", "resourceLinkId") if k in item}
    made["id"] = f"{url}/{number}"
    platform.line_items[number] = made
    after = {"_after": platform.on_line_item_made} if platform.on_line_item_made else {}
    return 201, made, {"Content-Type": LINE_ITEM, **after}


def line_item(platform, method, number, headers, body):
    if method == "GET":
        return 200, platform.line_items[number], {"Content-Type": LINE_ITEM}
    if method == "DELETE":
        platform.delete_line_item(platform.line_items[number].get("resourceId"))
        return 204, None, {}
    item, refused = _json(headers, body, LINE_ITEM)
    if refused:
        return refused
    platform.line_items[number] = {**platform.line_items[number], **item, "id": platform.line_items[number]["id"]}
    return 200, platform.line_items[number], {"Content-Type": LINE_ITEM}


def score(platform, number, headers, body):
    given, refused = _json(headers, body, SCORE)
    if refused:
        return refused
    users = {m["user_id"] for m in platform.members}
    if given.get("userId") not in users:
        return 422, {"errors": [{"message": "User not found in course or is not a student"}]}, {}
    if given.get("activityProgress") not in ACTIVITY or given.get("gradingProgress") not in GRADING:
        return 400, {"errors": [{"message": "activityProgress and gradingProgress are required"}]}, {}
    if "scoreGiven" in given and not isinstance(given.get("scoreMaximum"), int | float):
        return 400, {"errors": [{"message": "scoreMaximum is required with scoreGiven"}]}, {}
    try:
        when = datetime.datetime.fromisoformat(given["timestamp"])
    except (KeyError, TypeError, ValueError):
        return 400, {"errors": [{"message": "timestamp must be ISO 8601"}]}, {}
    if when.tzinfo is None:
        return 400, {"errors": [{"message": "timestamp needs its time zone"}]}, {}
    before = platform.results.get((number, given["userId"]))
    if before and datetime.datetime.fromisoformat(before["timestamp"]) > when:
        return 409, {"errors": [{"message": "a later score is already recorded"}]}, {}
    platform.results[(number, given["userId"])] = given
    platform.score_posts.append(given)
    after = {"_after": platform.on_score} if platform.on_score else {}
    return 200, {"resultUrl": f"{platform.line_items[number]['id']}/results/{given['userId']}"}, after
