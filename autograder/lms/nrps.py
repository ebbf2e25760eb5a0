"""The course's members as the LMS's Names and Role Provisioning Service lists them
(a membership container, application/vnd.ims.lti-nrps.v2.membershipcontainer+json, in
pages): each member's user_id (the `sub` of its launches), roles, name, email and, where the
LMS shares it, lis_person_sourcedid (the SIS id).

Students are the members whose context roles include Learner and none of the teaching ones;
instructors, teaching assistants, content developers and course administrators are staff;
anyone else (an observer, a mentor) is neither."""
from __future__ import annotations

from dataclasses import dataclass

from .lti_http import LtiClient

MEMBERSHIPS = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
TEACHING = {"Instructor", "TeachingAssistant", "ContentDeveloper", "Administrator"}
INSTITUTION = "purl.imsglobal.org/vocab/lis/v2/institution/"


@dataclass(frozen=True)
class Member:
    user_id: str
    roles: tuple[str, ...]
    name: str = ""
    given_name: str = ""
    family_name: str = ""
    email: str = ""
    lis_person_sourcedid: str = ""
    status: str = "Active"

    @property
    def kind(self) -> str:
        """'student', 'staff' or '' (neither), from the context roles."""
        names = {role_name(r) for r in self.roles if INSTITUTION not in r}
        if names & TEACHING:
            return "staff"
        return "student" if "Learner" in names else ""

    def login(self, claims: tuple[str, ...]) -> str:
        """The course's id for this member: the first of `claims` the member has."""
        for claim in claims:
            value = self.user_id if claim in ("user_id", "sub") else getattr(self, claim)
            if claim == "email":
                value = value.partition("@")[0]
            if value:
                return value
        return ""

    def names(self) -> tuple[str, str]:
        """First and last name: the given and family names, else the full name split once."""
        if self.given_name or self.family_name:
            return self.given_name, self.family_name
        first, _, last = self.name.partition(" ")
        return first, last


def role_name(role: str) -> str:
    """A role URI's last part: ...membership#Learner -> Learner,
    ...membership/Instructor#TeachingAssistant -> TeachingAssistant, urn:lti:role:ims/lis/Instructor
    (LTI 1.1's) -> Instructor; a short name stays."""
    return role.rsplit("#", 1)[-1] if "#" in role else role.rsplit("/", 1)[-1]


def member_of(entry: dict) -> Member | None:
    if not isinstance(entry, dict) or not entry.get("user_id"):
        return None
    roles = entry.get("roles") or []
    text = {k: str(entry.get(k) or "").strip() for k in ("name", "given_name", "family_name", "email",
                                                        "lis_person_sourcedid", "status")}
    return Member(str(entry["user_id"]), tuple(str(r) for r in roles if isinstance(r, str)),
                  text["name"], text["given_name"], text["family_name"], text["email"],
                  text["lis_person_sourcedid"], text["status"] or "Active")


def read_members(client: LtiClient, url: str) -> tuple[list[Member], int]:
    """Every member, and how many entries could not be read (no user_id)."""
    members, unreadable = [], 0
    for entry in client.pages(url, MEMBERSHIPS, "members"):
        member = member_of(entry)
        if member is None:
            unreadable += 1
        else:
            members.append(member)
    return members, unreadable
