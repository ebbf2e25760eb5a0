"""The test LMS's side of the hub test (tests/test_hub.py): the platform with its two
courses, the tool's key and the course's `lti:` block, and what people do in Chromium:
an instructor adds ch1's link by Deep Linking, a student launches a link and lands on the
assignment in JupyterLab, an instructor launches into formgrader."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from helpers import require_command
from lti_platform import Platform, member
from lti_platform_launch import add_course, add_link

STEP = 300          # seconds: the longest any one step may take (as in test_hub.py)
CONTEXT = "4dde05e8ca1973bcca9bffc13e1548820eee93a3"       # the LMS course (its link to ch1 is deep-linked)
SEMINAR_CONTEXT, SEMINAR_LINK = "c1d4a0f7e2b35a9d6e8c0b1f2a3d4e5f60718293", "seminar-ch1-link"


def lms_id(account: str) -> str:
    """The LMS's own opaque user id of a test account (the launch's `sub`)."""
    return "lms-" + account.encode().hex()


def the_lms(base: Path, instructor: str, students: list[str], seminar_instructor: str) -> Platform:
    """The test LMS: a course with the instructor and the students (each with their SIS id,
    which is their account here), whose instructor adds the link to ch1 by Deep Linking; a
    seminar (another course, deployed apart) with its own instructor and the first student,
    and a link to its ch1 with the custom parameter typed in by hand (Moodle's way).  The
    tool's key is learnt from the hub's keys URL once the hub runs."""
    lms = Platform(base, None, host="localhost")
    lms.members = [member(lms_id(instructor), "Instructor", "Tess Lee", instructor, f"{instructor}@uni.example")]
    lms.members += [member(lms_id(s), "Learner", f"Student {s}", s, f"{s}@uni.example") for s in students]
    add_course(lms, CONTEXT, "PEACE101", "Contested Peace", deployment_id="1:8865aa05b4b79b64a91a86042e43af5ea8ae79eb")
    both = next(m for m in lms.members if m["user_id"] == lms_id(students[0]))
    add_course(lms, SEMINAR_CONTEXT, "PEACE-SEM", "Peace seminar", deployment_id="2:0f3a9c1e",
               members=[member(lms_id(seminar_instructor), "Instructor", "Ada Ngata", seminar_instructor), both])
    add_link(lms, SEMINAR_CONTEXT, SEMINAR_LINK, "Seminar: collective instruments", {"assignment": "ch1"})
    return lms


def tool_key(path: Path) -> None:
    """The tool's private key, as the guide makes it: readable by its owner only."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


def with_lti(course: Path, lms: Platform, key: Path) -> None:
    """The course's `lti:` block, as the guide has the instructor write it."""
    lines = "".join(f"    {name}: {value!r}\n" for name, value in {**lms.config(), "private_key_file": str(key)}.items())
    config = (course / "_config.yml").read_text(encoding="utf-8")
    (course / "_config.yml").write_text(config.replace("\ncourse:\n", "\ncourse:\n  lti:\n" + lines, 1),
                                        encoding="utf-8")


def in_browser(hub, work):
    """`work(page)` in headless Chromium with every host but the hub and the LMS cut off
    (formgrader's pages ask a CDN for MathJax, as on an offline hub); what it returns."""
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = require_command("chromium", "Debian's chromium (apt-get install chromium), for the browser tests")

    def run():
        with playwright.sync_playwright() as p:
            engine = p.chromium.launch(executable_path=chromium, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"])
            try:
                page = engine.new_context(ignore_https_errors=True).new_page()   # the test LMS's own certificate
                page.set_default_timeout(60_000)
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
                    (hub.url, hub.lms.url)) else route.abort())
                return work(page)
            finally:
                engine.close()

    # in a thread of its own: Playwright's sync API refuses to start where an event loop runs
    # (another test's browser may hold one in this thread)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=STEP)


def launch(page, hub, account: str, landing: str, context: str, link: str) -> None:
    """`account` clicks the ch1 link in the LMS course; the browser follows the LTI launch (the
    platform's forms, the hub's OIDC login and redirects) to `landing` in their server."""
    page.goto(f"{hub.lms.url}/courses/{context}/links/{link}?user={lms_id(account)}")
    page.wait_for_url(f"{hub.url}/user/{account}/{landing}**", timeout=STEP * 1000)


def instructor_adds_the_link(page, hub) -> dict:
    """In the LMS course, the instructor adds the tool (Deep Linking), picks ch1 on the hub's
    page and is sent back to the LMS with the link made."""
    page.goto(f"{hub.lms.url}/courses/{CONTEXT}/deep_link?user={lms_id(hub.instructor)}")
    page.wait_for_url(f"{hub.url}/hub/lti13/deep_link**", timeout=STEP * 1000)
    offered = page.locator("input[name=assignment]").evaluate_all("boxes => boxes.map(b => b.value)")
    page.check("input[name=assignment][value=ch1]")
    page.click("button[type=submit]")
    page.wait_for_url(f"{hub.lms.url}/courses/{CONTEXT}/deep_link_return")
    return {"offered": offered, "answer": page.inner_text("body")}


def student_launches(page, hub, course: str, context: str, link: str) -> dict:
    """The launched student clicks the course's ch1 link and lands on that course's ch1."""
    launch(page, hub, hub.launched, f"lab/tree/{course}/ch1/ch1.ipynb", context, link)
    # the released notebook, open in JupyterLab: its title cell drawn
    heading = page.locator(".jp-NotebookPanel .jp-RenderedMarkdown h1").first
    heading.wait_for()
    return {"url": page.url, "title": heading.inner_text(), "cookies": {c["name"]: c for c in page.context.cookies()}}
