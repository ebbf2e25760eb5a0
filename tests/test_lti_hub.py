"""The hub's LTI 1.3 rules (autograder/lms/lti_hub.py) on launches as Canvas and Moodle send
them: who the student is, where a launch lands, which course it belongs to, and the keys
URL.  The whole launch through a browser, the platform and a real hub is tests/test_hub.py's."""
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from ltiauthenticator.lti13.error import LoginError
from tornado.web import HTTPError

from autograder.lms.lti_config import public_jwk
from autograder.lms.lti_hub import CLAIM, CourseLTI13Authenticator

LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
TEACHER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def launch(sub="a1b2", sourcedid="s1234", role=LEARNER, custom=None, context="ctx-1", email="ann@uni.example"):
    token = {"sub": sub, "email": email, CLAIM + "roles": [role], CLAIM + "custom": custom or {},
             CLAIM + "context": {"id": context, "label": "PEACE101", "title": "Contested Peace"}}
    if sourcedid:
        token[CLAIM + "lis"] = {"person_sourcedid": sourcedid}
    return token


def test_the_student_id_is_the_sis_id_else_sub_or_what_the_hub_names():
    auth = CourseLTI13Authenticator()
    assert auth.get_username(launch()) == "s1234"
    assert auth.get_username(launch(sourcedid="")) == "a1b2"          # no SIS id shared: the LMS's own id
    assert auth.normalize_username(auth.get_username(launch(sourcedid="S1234"))) == "S1234"   # as the roster has it
    auth.student_id_claims = ["email"]
    assert auth.get_username(launch()) == "ann@uni.example"
    auth.student_id_claims = ["custom.sis"]
    with pytest.raises(LoginError, match="none of custom.sis"):
        auth.get_username(launch())


def test_a_launch_lands_on_its_assignment_and_an_instructors_in_formgrader():
    auth = CourseLTI13Authenticator()
    assert auth.destination(launch(custom={"assignment": "ch1"})) == "course/open?assignment=ch1"
    assert auth.destination(launch()) is None                         # a link without one: the hub's default
    by_url = {**launch(), CLAIM + "target_link_uri": "https://hub.example.edu/hub/?assignment=ch2"}
    assert auth.destination(by_url) == "course/open?assignment=ch2"   # named in the link's URL instead
    assert auth.destination(launch(role=TEACHER, custom={"assignment": "ch1"})) == "formgrader"
    with pytest.raises(HTTPError, match="no assignment id"):
        auth.destination(launch(custom={"assignment": "../etc"}))


def test_each_lms_course_maps_to_its_nbgrader_course_and_an_unknown_one_is_refused():
    auth = CourseLTI13Authenticator(courses={"ctx-1": "peace-a", "ctx-2": "peace-b"})
    assert auth.destination(launch(custom={"assignment": "ch1"}, context="ctx-2")) == \
        "course/open?assignment=ch1&course=peace-b"
    with pytest.raises(HTTPError) as refused:
        auth.course_of(launch(context="ctx-9"))
    assert refused.value.status_code == 403 and "context id ctx-9" in refused.value.log_message


def test_the_keys_url_serves_the_public_half_of_the_tools_key(tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = tmp_path / "lti-key.pem"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    public = tmp_path / "lti-key.pub.pem"
    public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo))
    for path in (private, public):
        (served,) = CourseLTI13Authenticator(tool_key_file=str(path)).tool_keys()
        assert served == public_jwk(key)                     # the kid `course lti` signs with
        assert set(served) <= {"kty", "n", "e", "kid", "alg", "use", "key_ops"}   # nothing private
    assert CourseLTI13Authenticator().tool_keys() == []


def test_deep_linking_offers_the_released_assignments_and_answers_with_a_signed_link(tmp_path):
    import jwt
    import nbformat

    from autograder.lms.lti_deep_link import DL, released, request_settings, response_token

    outbound = tmp_path / "peace-a" / "outbound"
    for name, points in (("ch1", [2, 3.5]), ("ch2", [])):
        (outbound / name).mkdir(parents=True)
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {
            "grade": True, "points": p, "grade_id": f"q{i}"}}) for i, p in enumerate(points)])
        nbformat.write(nb, outbound / name / f"{name}.ipynb")
    (tmp_path / "peace-b" / "outbound" / "ch9").mkdir(parents=True)
    assert released(str(tmp_path), "peace-a") == {"ch1": 5.5, "ch2": 0.0}
    assert set(released(str(tmp_path), None)) == {"ch1", "ch2", "ch9"}     # one course: all released

    request = {**launch(role=TEACHER), "iss": "https://lms.example", "aud": "10000000000042",
               CLAIM + "deployment_id": "1:abc",
               DL + "deep_linking_settings": {"deep_link_return_url": "https://lms.example/dl", "data": "d-7"}}
    settings = request_settings(request, "tlee", "peace-a")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = response_token(settings, "ch1", 5.5, key, "")
    claims = jwt.decode(token, key.public_key(), algorithms=["RS256"], audience="https://lms.example",
                        issuer="10000000000042")
    assert jwt.get_unverified_header(token)["kid"] == public_jwk(key)["kid"]
    assert claims[CLAIM + "message_type"] == "LtiDeepLinkingResponse" and claims[DL + "data"] == "d-7"
    assert claims[CLAIM + "deployment_id"] == "1:abc"
    (item,) = claims[DL + "content_items"]
    assert item["custom"] == {"assignment": "ch1"}
    assert item["lineItem"] == {"scoreMaximum": 5.5, "label": "ch1", "resourceId": "ch1", "tag": "ch1"}
    with pytest.raises(HTTPError, match="no deep_link_return_url"):
        request_settings({**request, DL + "deep_linking_settings": {}}, "tlee", None)
