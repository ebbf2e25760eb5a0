"""`course lti publish ID`: each student's score for an assignment, posted to the LMS's
gradebook through Assignment and Grade Services.

The score is the export's (outputs/export.py: automatic scores and hand marks, after the
late penalty) over the assignment's points.  A submission with a hand-marked cell still
unmarked goes as gradingProgress PendingManual (the LMS shows it as needing grading, not as
final), else FullyGraded; activityProgress is Submitted while the student may still hand in
again (before their due date, extensions included), else Completed.  Students who never
handed in, or whose grading the machine failed (graded again next run), get no score.

What was posted is kept in the gradebook (lti_store.py): a score the LMS already has is not
sent again, and a run stopped half-way goes on where it stopped."""
from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from ..calendar import Calendar
from .ags import LINE_ITEM, line_item_for, post_score, scores_url, update_maximum
from .lti_http import LmsError, LtiClient
from .lti_store import LtiStore, Posted

NOT_POSTED = {"missing", "machine-error"}


@dataclass(frozen=True)
class Score:
    student_id: str
    lms_user_id: str
    given: float
    maximum: float
    activity: str
    grading: str

    def body(self, timestamp: str) -> dict:
        return {"userId": self.lms_user_id, "scoreGiven": self.given, "scoreMaximum": self.maximum,
                "activityProgress": self.activity, "gradingProgress": self.grading, "timestamp": timestamp}

    def as_posted(self, line_item: str) -> Posted:
        return Posted(line_item, self.given, self.maximum, self.activity, self.grading)


@dataclass
class Outcome:
    posted: list[Score] = field(default_factory=list)
    unchanged: int = 0
    line_item: str = ""
    made_line_item: bool = False
    problems: list[str] = field(default_factory=list)


def scores_to_post(grades, assignment: str, lms_ids: dict[str, str], calendar: Calendar,
                   now: datetime.datetime, outcome: Outcome) -> list[Score]:
    """The score of each student of `assignment` in `grades` (grades_from_gradebook's)."""
    scores = []
    for row in grades[grades.assignment == assignment].itertuples():
        student = str(row.student_id)
        if str(row.status or "") in NOT_POSTED:
            continue
        if not lms_ids.get(student):
            outcome.problems.append(f"student {student}: not on the LMS roster (no LMS user id); "
                                    f"run `course lti roster`")
            continue
        if not row.max_score or row.max_score != row.max_score:   # 0 or NaN: nothing to score out of
            outcome.problems.append(f"student {student}: the assignment has no points to score out of")
            continue
        due = calendar.due_for(assignment, student)
        if due is not None and due.tzinfo is None:
            due = due.replace(tzinfo=datetime.UTC)      # the calendar's dates are in UTC
        activity = "Submitted" if due is not None and now < due else "Completed"
        grading = "PendingManual" if str(row.pending_hand_marks or "").strip() else "FullyGraded"
        scores.append(Score(student, lms_ids[student], float(row.score), float(row.max_score), activity, grading))
    return scores


def _who(score: Score) -> str:
    return f"student {score.student_id} (LMS user {score.lms_user_id})"


def dry_run(scores: list[Score], store: LtiStore, assignment: str, label: str, maximum: float,
            timestamp: str, outcome: Outcome, say) -> None:
    """Print what a run would send; nothing is sent and nothing recorded."""
    url = store.line_item(assignment)
    posted = store.posted(assignment)
    if url is None:
        say(f"would find or make the line item: {json.dumps({'resourceId': assignment, 'tag': assignment, 'label': label, 'scoreMaximum': maximum})}")
    for score in scores:
        previous = posted.get(score.lms_user_id)
        if previous is not None and previous == score.as_posted(url or previous.line_item):
            outcome.unchanged += 1
            continue
        say(f"would POST {scores_url(url) if url else f'<line item of {assignment}>/scores'} "
            f"{json.dumps(score.body(timestamp))}")
        outcome.posted.append(score)


def publish(client: LtiClient, container: str, store: LtiStore, assignment: str, label: str,
            maximum: float, scores: list[Score], timestamp: str, outcome: Outcome) -> None:
    """Post every score the LMS does not have yet.  Where none is new the LMS is not asked
    anything; else the line item is checked first (made again if someone deleted it, its
    maximum brought up to date).  One deleted during the run is made again, once."""
    for attempt in range(2):
        posted, url = store.posted(assignment), store.line_item(assignment)
        if all(posted.get(s.lms_user_id) == s.as_posted(url or "") for s in scores):
            outcome.unchanged = len(scores)
            return
        url = _line_item(client, container, store, assignment, label, maximum, url, outcome)
        posted = store.posted(assignment)        # emptied if the line item was gone
        waiting = [s for s in scores if posted.get(s.lms_user_id) != s.as_posted(url)]
        outcome.unchanged, outcome.line_item = len(scores) - len(waiting), url
        if not _post_all(client, store, assignment, url, waiting, timestamp, outcome):
            return
        if attempt:
            outcome.problems.append(f"{assignment}: the line item {url} went missing again; stopped")
            return
        store.forget_line_item(assignment)       # deleted on the LMS: its scores went with it
        outcome.posted.clear()


def _line_item(client: LtiClient, container: str, store: LtiStore, assignment: str, label: str,
               maximum: float, url: str | None, outcome: Outcome) -> str:
    """The recorded line item if the LMS still has it, else the one found again or made."""
    if url is not None:
        try:
            item = client.request("GET", url, LINE_ITEM).json()
        except LmsError as error:
            if error.status != 404:
                raise
            store.forget_line_item(assignment)
        except ValueError:
            return url
        else:
            if isinstance(item, dict) and item.get("scoreMaximum") != maximum:
                update_maximum(client, {**item, "id": url}, maximum)
            return url
    item, made = line_item_for(client, container, assignment, label, maximum)
    outcome.made_line_item = outcome.made_line_item or made
    store.keep_line_item(assignment, item["id"])
    return item["id"]


def _gone(client: LtiClient, url: str) -> bool:
    """Whether the line item itself is gone (a 404 may also be about one student)."""
    try:
        client.request("GET", url, LINE_ITEM)
    except LmsError as error:
        return error.status == 404
    return False


def _post_all(client, store, assignment, url, waiting, timestamp, outcome) -> bool:
    """Post each score, recording each as it is taken; True if the line item is gone (404)."""
    for score in waiting:
        try:
            post_score(client, url, score.body(timestamp))
        except LmsError as error:
            if error.status == 404 and _gone(client, url):
                return True
            outcome.problems.append(f"{_who(score)}: {error}")
            continue
        store.keep_score(assignment, score.lms_user_id, score.student_id, score.as_posted(url), timestamp)
        outcome.posted.append(score)
    return False
