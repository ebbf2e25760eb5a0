"""The tool's side of an LTI 1.3 platform's services over HTTP: an access token got with
OAuth 2 client credentials and a client assertion (a JWT signed with the tool's key,
RFC 7523), kept until it expires and got again when the platform says it has (401); 429
and 5xx answers tried again with backoff, as the platform's Retry-After asks (urllib3's
Retry), but never waiting longer than RETRY_AFTER_CAP at a time: an LMS asking for an hour
must not hang the run, which then gives up on that request and says so; paging by the Link header.  The token lives in this process only: it is never
written to a file or printed."""
from __future__ import annotations

import time
import uuid

from .lti_config import LtiSettings, public_jwk

AGAIN = (429, 500, 502, 503, 504)
RETRY_AFTER_CAP = 60     # seconds: the longest wait a Retry-After gets before the next try
SCOPES = {
    "roster": ("https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",),
    "grades": ("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
               "https://purl.imsglobal.org/spec/lti-ags/scope/score"),
}


class LmsError(Exception):
    """What the LMS answered (status and the start of its body), or why it could not be reached."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status

    @classmethod
    def of(cls, response) -> LmsError:
        body = " ".join((response.text or "").split())[:300]
        return cls(f"the LMS answered {response.status_code} {response.reason or ''}".rstrip()
                   + (f": {body}" if body else ""), response.status_code)


def _session(retries: int, backoff: float, retry_after_cap: float | None = None):
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    session = requests.Session()
    cap = RETRY_AFTER_CAP if retry_after_cap is None else retry_after_cap
    retry = Retry(total=retries, connect=retries, read=0, status_forcelist=AGAIN, allowed_methods=None,
                  backoff_factor=backoff, respect_retry_after_header=True, retry_after_max=cap,
                  raise_on_status=False)
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class LtiClient:
    """One platform's services, for one run of a command."""

    def __init__(self, settings: LtiSettings, private_key, scopes: tuple[str, ...],
                 retries: int = 5, backoff: float = 0.5, retry_after_cap: float | None = None):
        self.settings, self.key, self.scopes = settings, private_key, scopes
        self.kid = public_jwk(private_key, settings.key_id)["kid"]
        self.http = _session(retries, backoff, retry_after_cap)
        # creating a line item is not safe to repeat blindly: the caller looks again first
        self.once = _session(0, 0)
        self._token, self._expires = "", 0.0
        self.token_requests = 0

    def _assertion(self) -> str:
        import jwt

        now = int(time.time())
        claims = {"iss": self.settings.client_id, "sub": self.settings.client_id,
                  "aud": self.settings.audience or self.settings.token_url,
                  "iat": now, "exp": now + 300, "jti": str(uuid.uuid4())}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def token(self) -> str:
        """The access token, asked for again only when it has expired (a minute early)."""
        if self._token and time.time() < self._expires:
            return self._token
        form = {"grant_type": "client_credentials",
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": self._assertion(), "scope": " ".join(self.scopes)}
        response = self._send(self.http, "POST", self.settings.token_url, data=form,
                              headers={"Accept": "application/json"})
        self.token_requests += 1
        if not response.ok:
            error = LmsError.of(response)
            raise LmsError(f"no access token from {self.settings.token_url}: {error}", error.status)
        try:
            answer = response.json()
            self._token = answer["access_token"]
            lifetime = float(answer.get("expires_in") or 3600)
        except (ValueError, KeyError, TypeError):
            raise LmsError(f"{self.settings.token_url}: the answer holds no access_token") from None
        self._expires = time.time() + max(lifetime - 60, lifetime / 2)
        return self._token

    def _send(self, session, method: str, url: str, **kwargs):
        import requests

        try:
            return session.request(method, url, timeout=(10, 60), **kwargs)
        except requests.RequestException as exc:
            raise LmsError(f"cannot reach {url} ({type(exc).__name__})") from None

    def request(self, method: str, url: str, accept: str, content_type: str | None = None,
                body: dict | None = None, again: bool = True):
        """The platform's answer to an authorised request; an error answer raises LmsError.
        A 401 is taken as an expired token: a new one is got and the request sent once more."""
        import json

        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        data = None if body is None else json.dumps(body)
        for attempt in range(2):
            headers["Authorization"] = f"Bearer {self.token()}"
            response = self._send(self.http if again else self.once, method, url, headers=headers, data=data)
            if response.status_code != 401 or attempt:
                break
            self._token = ""
        if not response.ok:
            raise LmsError.of(response)
        return response

    def pages(self, url: str, accept: str, key: str | None):
        """The items of every page from `url` on (`key` of each page's JSON, or the page itself
        when it is a list), following Link: <...>; rel="next"."""
        seen = set()
        while url and url not in seen:
            seen.add(url)
            response = self.request("GET", url, accept)
            try:
                page = response.json()
            except ValueError:
                raise LmsError(f"{url}: the answer is not JSON") from None
            items = page.get(key) if key and isinstance(page, dict) else page
            yield from items if isinstance(items, list) else []
            url = response.links.get("next", {}).get("url", "")
