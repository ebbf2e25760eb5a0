"""What the LTI commands keep, in tables of our own beside nbgrader's in the course's
gradebook (so that it travels, is backed up and is shared by graders with the grades it
describes; nbgrader's migrations touch only their own tables):

lti_staff       the course's instructors and assistants from the LMS (the students are
                nbgrader's students table, with their LMS user id)
lti_line_items  the line item of each assignment (found again on the LMS by its resourceId
                if it is missing here: one written by a run that stopped half-way)
lti_scores      the last score posted for each student and assignment, so that an unchanged
                score is not posted again"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, Float, MetaData, String, Table, create_engine, delete, select

metadata = MetaData()
staff = Table("lti_staff", metadata,
              Column("lms_user_id", String(255), primary_key=True), Column("user_id", String(255)),
              Column("name", String(255)), Column("email", String(255)), Column("roles", String(1024)),
              Column("status", String(32)))
line_items = Table("lti_line_items", metadata,
                   Column("assignment", String(128), primary_key=True), Column("url", String(2048), nullable=False))
scores = Table("lti_scores", metadata,
               Column("assignment", String(128), primary_key=True), Column("lms_user_id", String(255), primary_key=True),
               Column("student_id", String(128)), Column("line_item", String(2048)),
               Column("score_given", Float), Column("score_maximum", Float),
               Column("activity_progress", String(32)), Column("grading_progress", String(32)),
               Column("timestamp", String(64)))


@dataclass(frozen=True)
class Posted:
    line_item: str
    score_given: float | None
    score_maximum: float
    activity_progress: str
    grading_progress: str


class LtiStore:
    """Our tables in the gradebook at `db_url` (made on first use)."""

    def __init__(self, db_url: str):
        from ..outputs.gradebook import open_gradebook

        open_gradebook(db_url).close()     # nbgrader's tables first: it makes them only in an empty database
        self.engine = create_engine(db_url)
        metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def replace_staff(self, people: list[dict]) -> None:
        with self.engine.begin() as db:
            db.execute(delete(staff))
            if people:
                db.execute(staff.insert(), people)

    def staff(self) -> list[dict]:
        with self.engine.connect() as db:
            return [dict(row._mapping) for row in db.execute(select(staff).order_by(staff.c.name))]

    def line_item(self, assignment: str) -> str | None:
        with self.engine.connect() as db:
            return db.execute(select(line_items.c.url).where(line_items.c.assignment == assignment)).scalar()

    def keep_line_item(self, assignment: str, url: str) -> None:
        with self.engine.begin() as db:
            db.execute(delete(line_items).where(line_items.c.assignment == assignment))
            db.execute(line_items.insert().values(assignment=assignment, url=url))

    def forget_line_item(self, assignment: str) -> None:
        """The LMS lost the line item (deleted by someone): its scores went with it."""
        with self.engine.begin() as db:
            db.execute(delete(line_items).where(line_items.c.assignment == assignment))
            db.execute(delete(scores).where(scores.c.assignment == assignment))

    def posted(self, assignment: str) -> dict[str, Posted]:
        """The last score posted for each LMS user, for the assignment."""
        with self.engine.connect() as db:
            rows = db.execute(select(scores).where(scores.c.assignment == assignment))
            return {r.lms_user_id: Posted(r.line_item, r.score_given, r.score_maximum, r.activity_progress,
                                          r.grading_progress) for r in rows}

    def keep_score(self, assignment: str, lms_user_id: str, student_id: str, posted: Posted, timestamp: str) -> None:
        """Recorded as soon as the LMS took it: a run stopped later has lost nothing."""
        with self.engine.begin() as db:
            db.execute(delete(scores).where(scores.c.assignment == assignment, scores.c.lms_user_id == lms_user_id))
            db.execute(scores.insert().values(assignment=assignment, lms_user_id=lms_user_id, student_id=student_id,
                                              line_item=posted.line_item, score_given=posted.score_given,
                                              score_maximum=posted.score_maximum,
                                              activity_progress=posted.activity_progress,
                                              grading_progress=posted.grading_progress, timestamp=timestamp))
