"""The LMS's Assignment and Grade Services: one line item (a gradebook column) per
assignment, and scores posted to it.

A line item carries the assignment id as its resourceId and tag, and is always looked for on
the LMS before one is made: a run that stopped after the LMS made it (and before we wrote it
down) finds it again, and a creation that failed with 429 or 5xx is tried again only after
looking again (the LMS may have made it before failing)."""
from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .lti_http import AGAIN, LmsError, LtiClient

LINE_ITEM = "application/vnd.ims.lis.v2.lineitem+json"
LINE_ITEMS = "application/vnd.ims.lis.v2.lineitemcontainer+json"
SCORE = "application/vnd.ims.lis.v1.score+json"


def with_query(url: str, **params: str) -> str:
    """`url` with `params` added to its query (Moodle's line item URLs already have one)."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), *params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def scores_url(line_item: str) -> str:
    """The scores endpoint of a line item: its URL's path with /scores after it."""
    parts = urlsplit(line_item)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def find_line_item(client: LtiClient, container: str, assignment: str) -> dict | None:
    """The line item whose resourceId (else tag) is the assignment id; the LMS is asked for
    that resource id, and the answer is filtered here too (not every LMS filters)."""
    items = [i for i in client.pages(with_query(container, resource_id=assignment), LINE_ITEMS, None)
             if isinstance(i, dict) and i.get("id")]
    return (next((i for i in items if i.get("resourceId") == assignment), None)
            or next((i for i in items if not i.get("resourceId") and i.get("tag") == assignment), None))


def line_item_for(client: LtiClient, container: str, assignment: str, label: str, maximum: float,
                  attempts: int = 5, backoff: float = 0.5) -> tuple[dict, bool]:
    """The assignment's line item, found or made (and whether it was made now); its
    scoreMaximum brought up to date if the assignment's changed."""
    for attempt in range(attempts):
        item = find_line_item(client, container, assignment)
        if item is not None:
            if item.get("scoreMaximum") != maximum:
                item = update_maximum(client, item, maximum)
            return item, False
        body = {"scoreMaximum": maximum, "label": label, "resourceId": assignment, "tag": assignment}
        try:
            made = client.request("POST", container, LINE_ITEM, LINE_ITEM, body, again=False).json()
        except LmsError as error:
            if (error.status is not None and error.status not in AGAIN) or attempt == attempts - 1:
                raise
            time.sleep(backoff * 2 ** attempt)
            continue
        except ValueError:
            raise LmsError(f"{container}: the new line item's answer is not JSON") from None
        if not isinstance(made, dict) or not made.get("id"):
            raise LmsError(f"{container}: the new line item's answer has no id")
        return made, True
    raise AssertionError("unreachable")


def update_maximum(client: LtiClient, item: dict, maximum: float) -> dict:
    """The line item with the assignment's points as its scoreMaximum (PUT, the whole item)."""
    body = {k: v for k, v in item.items() if k != "id"} | {"scoreMaximum": maximum}
    answer = client.request("PUT", item["id"], LINE_ITEM, LINE_ITEM, body)
    try:
        return answer.json() | {"id": item["id"]}
    except ValueError:
        return {**item, "scoreMaximum": maximum}


def post_score(client: LtiClient, line_item: str, score: dict) -> None:
    client.request("POST", scores_url(line_item), "application/json", SCORE, score)
