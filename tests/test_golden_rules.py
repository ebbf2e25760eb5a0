"""The scoring rules agree on every golden case (tests/golden_rules.yml): the Python rules
with the key, the student's hashed check, and the browser's rules that the book's practice
questions run (in Node.js)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from helpers import require_command

from autograder.core.checks import public_check, public_question
from autograder.core.kinds import KINDS
from autograder.core.model import FeedbackPolicy
from autograder.core.oracles import HashOracle
from autograder.core.plain import to_plain
from autograder.core.questions import parse_question
from autograder.core.rules import key_oracle, score
from coursebook.practice import oracle_spec, rules_js

GOLDEN = yaml.safe_load((Path(__file__).parent / "golden_rules.yml").read_text(encoding="utf-8"))
CASES = [(group["question"], case) for group in GOLDEN for case in group["cases"]]


def expected(case: dict) -> tuple:
    return case["points"], case["status"], case["message"]


def test_every_practisable_kind_has_golden_cases():
    practisable = {name for name, kind in KINDS.items() if kind.js_rule}
    assert practisable <= {group["question"]["kind"] for group in GOLDEN}


@pytest.mark.parametrize("spec, case", CASES, ids=[f"{s['id']}-{i}" for i, (s, _) in enumerate(CASES)])
def test_python_rules_with_the_key_and_with_the_hashed_check(spec, case):
    q = parse_question(dict(spec), "golden")
    key = to_plain(q.answer)
    trusted = score(public_question(q), to_plain(case["answer"]), key_oracle(q, key))
    assert (trusted.points, trusted.status, trusted.message) == expected(case)
    check = json.loads(json.dumps(public_check(q, key, salt="golden", policy=FeedbackPolicy.FULL)))
    student = score(check["question"], to_plain(case["answer"]), HashOracle(check))
    assert (student.points, student.status, student.message) == expected(case)


def test_browser_rules_in_node():
    node = require_command("node", "Node.js (node), which runs the browser's rules")
    cases = []
    for spec, case in CASES:
        q = parse_question(dict(spec), "golden")
        cases.append({"question": public_question(q), "key": to_plain(q.answer), "oracle": oracle_spec(q),
                      "answer": case["answer"]})
    ran = subprocess.run([node, str(Path(__file__).parent / "tools" / "golden_rules.js")], capture_output=True,
                         text=True, input=json.dumps({"rules": rules_js(), "cases": cases}), timeout=60)
    assert ran.returncode == 0, ran.stderr
    outcomes = json.loads(ran.stdout)
    differ = [(spec["id"], case["answer"], expected(case), (o["points"], o["status"], o["message"]))
              for (spec, case), o in zip(CASES, outcomes, strict=True)
              if (o["points"], o["status"], o["message"]) != expected(case)]
    assert not differ, "\n".join(f"{qid} {answer!r}: python {want} != browser {got}" for qid, answer, want, got in differ)
