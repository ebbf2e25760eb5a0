"""`course lti roster`: the LMS's members into the course's roster.  Students go to
nbgrader's students table (the roster `course roster import` fills, through the same code),
matched on their LMS user id first, so that a member whose name, email or SIS id changed in
the LMS stays the student the gradebook knows; staff go to lti_staff (lti_store.py).  No
one is taken off: a student who left the course keeps their grades, and is named."""
from __future__ import annotations

from dataclasses import dataclass, field

from .nrps import Member
from .roster import Person, import_roster, roster_lookup


@dataclass
class RosterChange:
    added: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    staff: list[str] = field(default_factory=list)
    others: int = 0                                          # observers, mentors
    left_out: int = 0                                        # students who could not be given an id
    gone: list[str] = field(default_factory=list)            # in the gradebook, no longer in the LMS
    problems: list[str] = field(default_factory=list)


def _who(member: Member) -> str:
    return f"LMS user {member.user_id}" + (f" ({member.name})" if member.name else "")


def students_of(members: list[Member], claims: tuple[str, ...], by_lms: dict[str, str],
                change: RosterChange) -> list[Person]:
    """The roster's rows for the students among `members`: an LMS user already on the roster
    keeps the id it has; a new one gets the id of `claims`, unless that id is another LMS
    user's."""
    taken = {student_id: lms_id for lms_id, student_id in by_lms.items()}
    people = []
    for member in members:
        if member.kind != "student":
            continue
        login = member.login(claims)
        student_id = by_lms.get(member.user_id)
        if student_id is None:
            if not login:
                change.problems.append(f"{_who(member)}: none of {', '.join(claims)} is given; left out")
                change.left_out += 1
                continue
            if taken.get(login, member.user_id) != member.user_id:
                change.problems.append(f"{_who(member)}: the id '{login}' is already LMS user "
                                       f"{taken[login]}'s; left out")
                change.left_out += 1
                continue
            student_id = login
            change.added.append(student_id)
        else:
            change.kept.append(student_id)
            if login and login != student_id:
                change.problems.append(f"{_who(member)}: stays '{student_id}' (the LMS now gives '{login}')")
        taken[student_id] = member.user_id
        first, last = member.names()
        people.append(Person(student_id, first, last, member.email, member.user_id))
    return people


def staff_rows(members: list[Member], claims: tuple[str, ...]) -> list[dict]:
    from .nrps import role_name

    return [{"lms_user_id": m.user_id, "user_id": m.login(claims), "name": m.name or " ".join(m.names()).strip(),
             "email": m.email, "roles": " ".join(sorted({role_name(r) for r in m.roles})), "status": m.status}
            for m in members if m.kind == "staff"]


def sync_roster(db_url: str, members: list[Member], claims: tuple[str, ...]) -> RosterChange:
    from .lti_store import LtiStore

    change = RosterChange()
    by_lms, _ = roster_lookup(db_url)
    people = students_of(members, claims, by_lms, change)
    import_roster(db_url, people)
    store = LtiStore(db_url)
    try:
        staff = staff_rows(members, claims)
        store.replace_staff(staff)
    finally:
        store.close()
    change.staff = [row["user_id"] or row["lms_user_id"] for row in staff]
    change.others = sum(1 for m in members if not m.kind)
    present = {m.user_id for m in members}
    change.gone = sorted(student_id for lms_id, student_id in by_lms.items() if lms_id not in present)
    return change
