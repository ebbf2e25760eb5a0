"""Benchmark: `course grade` against stock `nbgrader autograde` on the same synthetic class.

    python benchmarks/grading.py [--students 40] [--assignments ch1 ch2 ...] [--workers N] [--cluster-workers N]

Makes a class of students for every assignment, each answer right, partly right, wrong
or blank with a mix that depends on the student's strength; hands in the notebook with
the files released beside it, as `nbgrader collect` would.  Then, on the same files,
times stock `nbgrader autograde` (one notebook after another, the tool's only mode) and
`course grade` (sandboxed, in parallel), prints both, the ratio, and whether the two
agree on every student's automatic score.  Then (unless --cluster-workers 0) it grades
the same class locally and with `--cluster` on a Dask cluster it starts on this machine:
the overhead ratio, and a projection for 10,000 submissions on N workers from the
measured per-notebook figures.  It writes the figures to benchmarks/results/grading.md.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.core.keys import compute_keys  # noqa: E402
from autograder.course import Course  # noqa: E402
from tests.dask_processes import DaskProcesses  # noqa: E402
from tests.helpers import model_solutions  # noqa: E402

BIN = Path(sys.executable).parent
# The class's course: nbgrader's folder names, this course's packages inside the sandbox,
# and nbgrader's settings as `course release` makes them (release into stock-release/, so
# that release/ stays as `course release` made it).
COURSE_CONFIG = "course:\n  name: contested-peace\n  packages: [contested_peace]\n"
NBGRADER_CONFIG = """\
from autograder.authoring.release import course_settings
c = get_config()
course_settings(c)
c.CourseDirectory.release_directory = "stock-release"
"""


def wrong_value(question, key, rng: random.Random):
    """A plausible wrong answer of the right form, or None (no wrong form: left blank)."""
    if isinstance(key, bool) or key is None:
        return None
    if isinstance(key, (int, float)):
        return key + rng.choice([1, 2, 10])
    if isinstance(key, str):
        others = [c for c in (question.choices or {}) if c != key]
        return rng.choice(others) if others else "I am not sure"
    if isinstance(key, list) and key:
        if question.kind == "multiple":
            others = [c for c in (question.choices or {}) if c not in key]
            return others[:1] or key[:1]
        return list(reversed(key))
    if isinstance(key, dict) and "__table__" not in key and len(key) > 1:
        values = list(key.values())
        return dict(zip(key, values[1:] + values[:1], strict=True))
    return None


def partial_value(question, key):
    """An answer worth part of the points, where the kind gives partial credit."""
    if question.kind == "multiple" and isinstance(key, list) and len(key) > 1:
        return key[:-1]
    if question.kind == "ordering" and isinstance(key, list) and len(key) > 2:
        return [key[1], key[0], *key[2:]]
    if isinstance(key, dict) and "__table__" not in key and len(key) > 2:
        names, values = list(key), list(key.values())
        values[0], values[1] = values[1], values[0]
        return dict(zip(names, values, strict=True))
    return None


def student_notebook(release, solutions: dict[str, str], assignment, keys, strength: float,
                     rng: random.Random) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(release)
    by_answer_cell = {f"{q.id}_answer": q for q in assignment.questions}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        question = by_answer_cell.get(gid)
        if question is None:
            continue
        roll = rng.random()
        if question.kind == "essay":
            if roll < strength:
                cell.source = "The reading argues that consent matters, and the evidence is the case of Mali."
            continue
        if roll < strength:
            cell.source = solutions[gid]
            continue
        key = keys[question.id]
        choice = rng.choice(["wrong", "partial", "blank"])
        value = partial_value(question, key) if choice == "partial" else None
        if value is None and choice != "blank":
            value = wrong_value(question, key, rng)
        if value is not None:
            cell.source = f"{question.variable} = {value!r}"
    return nb


def make_class(course: Path, assignment_ids: list[str], students: int, seed: int) -> Path:
    """The submitted folder: <student>/<assignment>/ with the notebook and the released files."""
    submitted = course / "submitted"
    rng = random.Random(seed)
    strengths = [rng.uniform(0.15, 0.98) for _ in range(students)]
    for aid in assignment_ids:
        assignment = Course.at(course).assignment(aid)
        keys = compute_keys(assignment)
        release = nbformat.read(course / "release" / aid / f"{aid}.ipynb", as_version=4)
        source = nbformat.read(course / "source" / aid / f"{aid}.ipynb", as_version=4)
        solutions = model_solutions(source)
        for i, strength in enumerate(strengths):
            folder = submitted / f"student{i:03d}" / aid
            folder.mkdir(parents=True)
            for extra in (course / "release" / aid).iterdir():
                if extra.is_file() and extra.suffix != ".ipynb":
                    shutil.copy(extra, folder / extra.name)
            nb = student_notebook(release, solutions, assignment, keys, strength, rng)
            nbformat.write(nb, folder / f"{aid}.ipynb")
    return submitted


def run(argv: list[str], cwd: Path) -> float:
    return run_timed(argv, cwd)[0]


def run_timed(argv: list[str], cwd: Path) -> tuple[float, dict[str, float], int]:
    """The command's wall time, the stages it reports with --timings (the rest of the
    time, before the first stage, is the process's start: Python and the imports) and the
    most memory (RSS, MB) the command's own process held, its sandboxes not counted."""
    import threading

    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def watch() -> None:   # the kernel's high-water mark of the process, read until it ends
        while process.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                status = Path(f"/proc/{process.pid}/status").read_text()
                peak[0] = max([peak[0], *(int(line.split()[1]) // 1024 for line in status.splitlines()
                                          if line.startswith("VmHWM:"))])
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    watcher.join()
    if process.returncode != 0:
        sys.exit(f"{' '.join(argv[:3])} failed:\n{stderr[-3000:]}")
    stages = {}
    for line in stderr.splitlines():
        if line.startswith("timing: "):
            name, seconds = line[len("timing: "):].rsplit(": ", 1)
            stages[name] = float(seconds.split()[0])
    if stages:
        stages = {"start-up (Python, imports)": elapsed - sum(stages.values()), **stages}
    return elapsed, stages, peak[0]


# the stage that grows with the class; stages named "(while grading)" run while the
# notebooks do; the rest are the fixed costs, paid whatever the class's size
PER_NOTEBOOK_STAGES = {"grade"}
OVERLAPPED = "(while grading)"


def stock_scores(course: Path, assignment_id: str) -> dict[str, float]:
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(assignment_id)}


def our_scores(workspace: Path, assignment_id: str) -> dict[str, float]:
    import csv
    with open(workspace / "grades.csv", newline="", encoding="utf-8") as handle:
        return {row["student_id"]: float(row["auto_score"]) for row in csv.DictReader(handle)
                if row["assignment"] == assignment_id}


# the runner the cluster's workers use (autograder.execution.cluster_worker.local_runner): the
# local run it is compared with uses the same, so that the ratio is the cluster's own cost
CLUSTER_WORKER_RUNNER = "warm"
PROJECTED_SUBMISSIONS = 10_000
PROJECTED_WORKERS = (1, 4, 16, 64, 256, 1024)


def timed_grade(argv: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock seconds and the CPU seconds of the `course grade` process itself."""
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run(argv, cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


@contextlib.contextmanager
def worker_seconds(address: str):
    """The time the cluster's workers spend in grading tasks while the block runs (the
    scheduler's task stream records each task's compute time, whichever client sent it)."""
    from distributed import Client, get_task_stream

    measured = {}
    with Client(address, timeout=10, set_as_default=False) as client:
        with get_task_stream(client=client) as stream:
            yield measured
        measured["seconds"] = sum(part["stop"] - part["start"] for task in stream.data
                                  if str(task["key"]).startswith("run_on_worker")
                                  for part in task["startstops"] if part["action"] == "compute")


def compare_with_cluster(course: Path, submitted: Path, ids: list[str], workers: int, local_workers: int,
                         tmp: Path) -> list[str]:
    """`course grade` locally against `course grade --cluster` on a Dask cluster started
    here (a scheduler and `workers` one-thread workers on 127.0.0.1): the time, the
    overhead ratio and whether the grades agree; and, from the measured figures, a
    projection for 10,000 submissions on N workers.  Returns the section for grading.md."""
    notebooks = local_time = cluster_time = client_cpu = fixed_cpu = fixed_time = busy = 0.0
    differ = []
    with DaskProcesses(tmp / "dask") as dask:
        for i in range(workers):
            dask.add_worker(f"worker{i}")
        for aid in ids:
            local, remote = tmp / f"local-{aid}", tmp / f"cluster-{aid}"
            common = ["grade", aid, "--course-dir", str(course), "--submissions", str(submitted), "--no-progress"]
            t_local, _ = timed_grade([str(BIN / "course"), *common, "--workspace", str(local), "--workers",
                                      str(local_workers), "--runner", CLUSTER_WORKER_RUNNER,
                                      "--db", f"sqlite:///{local / 'gradebook.db'}"], course)
            on_cluster = [str(BIN / "course"), *common, "--workspace", str(remote), "--cluster", dask.address,
                          "--db", f"sqlite:///{remote / 'gradebook.db'}"]
            with worker_seconds(dask.address) as measured:
                t_cluster, cpu = timed_grade(on_cluster, course)
            busy += measured["seconds"]
            # a second run has nothing to grade: what is left is the fixed cost of a run
            t_fixed, cpu_fixed = timed_grade(on_cluster, course)
            ours, theirs = our_scores(local, aid), our_scores(remote, aid)
            differ += [(aid, s) for s in ours.keys() | theirs.keys() if ours.get(s) != theirs.get(s)]
            notebooks += len(ours)
            local_time, cluster_time = local_time + t_local, cluster_time + t_cluster
            client_cpu, fixed_cpu, fixed_time = client_cpu + cpu, fixed_cpu + cpu_fixed, fixed_time + t_fixed
            print(f"{aid}: course grade {t_local:5.1f} s locally ({local_workers} workers) | "
                  f"--cluster {t_cluster:5.1f} s ({workers} Dask workers) | {t_cluster / t_local:4.2f}x")
    per_worker = busy / notebooks                                   # a worker's time per notebook
    per_client = max(client_cpu - fixed_cpu, 0.0) / notebooks       # the client's CPU time per submission
    fixed = fixed_time / len(ids)                                   # a run's fixed cost
    bottleneck = per_worker / per_client if per_client else float("inf")
    agree = "yes" if not differ else f"NO ({len(differ)} differ)"
    summary = (f"cluster: local {local_time:.1f} s, --cluster {cluster_time:.1f} s on {workers} workers: overhead ratio "
               f"{cluster_time / local_time:.2f}; scores agree: {agree}; per notebook: {per_worker:.2f} s of a worker, "
               f"{per_client * 1000:.0f} ms of the client's CPU; fixed cost of a run {fixed:.1f} s")
    print(summary)
    lines = ["", "## On a Dask cluster", "",
             f"The same class and assignments, `course grade --workers {local_workers} --runner "
             f"{CLUSTER_WORKER_RUNNER}` on this machine (the runner the workers use) against "
             f"`course grade --cluster` on a Dask scheduler and {workers} one-thread workers started on 127.0.0.1 "
             f"(the same machine: the workers and the client share its {os.cpu_count()} cores).", "",
             "| | seconds |", "|---|---|",
             f"| local | {local_time:.1f} |", f"| --cluster | {cluster_time:.1f} |",
             f"| overhead ratio (cluster / local) | {cluster_time / local_time:.2f} |", "",
             f"Scores agree: {agree}. Measured per notebook: **{per_worker:.2f} s of a worker** (the scheduler's "
             f"compute time of the grading tasks: unpacking, the sandbox, the notebook) and **{per_client * 1000:.0f} ms "
             f"of the client's CPU** per submission (reading, integrity checks, scoring, the autograded notebook, the "
             f"gradebook and the saved result: CPU time of a run less that of a run with nothing to grade); the fixed "
             f"cost of a run (start-up, keys, grades.csv, feedback, report) is {fixed:.1f} s.", "",
             f"Projected time for {PROJECTED_SUBMISSIONS:,} submissions on N one-thread workers, assuming "
             f"time = fixed + {PROJECTED_SUBMISSIONS:,} × max(worker time / N, client time): the workers' machines "
             f"as fast as this one, the client's Python on one core (its threads share the interpreter), the "
             f"scheduler's own cost per task (about a millisecond) hidden behind the workers', and the fixed cost "
             f"measured here for a 40-student run (it grows with the class: feedback pages, report). Past "
             f"N ≈ {bottleneck:.0f} the client is the bottleneck and more workers do not help; run several "
             f"clients on parts of the class (each with its own workspace) past that.", "",
             "| workers N | projected time | bound by |", "|---|---|---|"]
    for n in sorted({*PROJECTED_WORKERS, max(1, round(bottleneck))} if bottleneck != float("inf") else PROJECTED_WORKERS):
        per = max(per_worker / n, per_client)
        seconds = fixed + PROJECTED_SUBMISSIONS * per
        lines.append(f"| {n} | {seconds / 60:.1f} min | {'the workers' if per_worker / n > per_client else 'the client'} |")
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--assignments", nargs="*", help="default: every assignment of the course")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runner", choices=["warm", "process"], default="warm", help="course grade's runner")
    parser.add_argument("--cluster-workers", type=int, default=2, metavar="N",
                        help="also grade on a local Dask cluster of N workers (0: not)")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results" / "grading.md"))
    args = parser.parse_args()
    here = Course.at(ROOT)
    # stock nbgrader cannot know which student's version a notebook is: assignments whose
    # questions vary per student are left out of the comparison
    ids = args.assignments or [a for a in here.assignment_ids()
                               if here.has_questions(a) and not here.assignment(a).has_variants]
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"

    with tempfile.TemporaryDirectory(prefix="grading-benchmark-") as tmp:
        course = Path(tmp) / "course"
        course.mkdir()
        (course / "nbgrader_config.py").write_text(NBGRADER_CONFIG)
        (course / "_config.yml").write_text(COURSE_CONFIG)
        for aid in ids:
            shutil.copytree(ROOT / "solutions" / aid, course / "source" / aid)
            shutil.copytree(ROOT / "exercises" / aid, course / "release" / aid)
        submitted = make_class(course, ids, args.students, args.seed)
        print(f"class: {args.students} students x {len(ids)} assignments = {args.students * len(ids)} notebooks")

        stock_time = ours_time = 0.0
        stage_totals: dict[str, float] = {}
        peaks: list[int] = []
        disagreements = []
        rows = []
        for aid in ids:
            # stock nbgrader needs its gradebook to know the source cells (hidden tests included)
            run([str(BIN / "nbgrader"), "generate_assignment", aid, "--force"], course)
            t_stock = run([str(BIN / "nbgrader"), "autograde", aid, "--create"], course)
            workspace = Path(tmp) / "workspace"
            # cold: a new process, an empty workspace and gradebook, nothing kept from the last assignment
            shutil.rmtree(workspace, ignore_errors=True)
            t_ours, stages, peak = run_timed([str(BIN / "course"), "grade", aid, "--course-dir", str(course), "--submissions",
                                        str(submitted), "--workspace", str(workspace), "--workers", str(args.workers),
                                        # a gradebook of its own: the course's holds stock nbgrader's scores
                                        "--db", f"sqlite:///{workspace / 'gradebook.db'}", "--no-progress",
                                        "--runner", args.runner, "--timings"], course)
            peaks.append(peak)
            for stage, seconds in stages.items():
                stage_totals[stage] = stage_totals.get(stage, 0.0) + seconds
            print("  " + "; ".join(f"{stage} {seconds:.2f} s" for stage, seconds in stages.items()))
            stock, ours = stock_scores(course, aid), our_scores(workspace, aid)
            differ = sorted(s for s in stock.keys() | ours.keys() if abs(stock.get(s, -1) - ours.get(s, -2)) > 1e-6)
            disagreements += [(aid, s, stock.get(s), ours.get(s)) for s in differ]
            stock_time, ours_time = stock_time + t_stock, ours_time + t_ours
            mean = sum(ours.values()) / max(len(ours), 1)
            rows.append((aid, t_stock, t_ours, t_stock / t_ours, mean, len(differ)))
            print(f"{aid}: stock nbgrader autograde {t_stock:6.1f} s | course grade {t_ours:6.1f} s | "
                  f"{t_stock / t_ours:4.1f}x | mean score {mean:.2f} | scores that differ: {len(differ)}")
        cluster_section = (compare_with_cluster(course, submitted, ids, args.cluster_workers, args.workers, Path(tmp))
                           if args.cluster_workers else [])

    notebooks = args.students * len(ids)
    agree = "yes" if not disagreements else f"NO ({len(disagreements)} differ)"
    summary = (f"total: stock {stock_time:.1f} s ({notebooks / stock_time:.2f} notebooks/s), "
               f"course grade {ours_time:.1f} s ({notebooks / ours_time:.2f} notebooks/s) "
               f"with {args.workers} workers: {stock_time / ours_time:.1f}x; scores agree: {agree}")
    print(summary)
    per_assignment = max(len(ids), 1)
    fixed = sum(v for k, v in stage_totals.items() if k not in PER_NOTEBOOK_STAGES and OVERLAPPED not in k)
    overlapped = sum(v for k, v in stage_totals.items() if OVERLAPPED in k)
    grading = sum(v for k, v in stage_totals.items() if k in PER_NOTEBOOK_STAGES)
    costs = (f"fixed costs (start-up, workers, keys, plan, stopping, grades.csv, feedback, report): "
             f"{fixed / per_assignment:.2f} s per assignment; the gradebook and the report's imports, "
             f"overlapped with grading: {overlapped / per_assignment:.2f} s; grading after them: "
             f"{grading / per_assignment:.2f} s; all stages together: "
             f"{(fixed + overlapped + grading) / notebooks * 1000:.0f} ms per notebook with {args.workers} workers")
    print(costs)
    memory = (f"peak memory (RSS) of the `course grade` process itself, its sandboxes not counted: "
              f"{max(peaks, default=0)} MB (the largest of the assignments' runs)")
    print(memory)
    for aid, student, s, o in disagreements[:20]:
        print(f"  {aid} {student}: stock {s}, course grade {o}")

    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"# Grading benchmark ({time.strftime('%Y-%m-%d')})", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
             f"{args.students} students x {len(ids)} assignments (seed {args.seed}); "
             f"`course grade --workers {args.workers} --runner {args.runner}` (sandboxed; cold: a new process, "
             f"empty workspace) against `nbgrader autograde`.", "",
             "| assignment | nbgrader autograde (s) | course grade (s) | speed-up | mean auto score | scores that differ |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {a} | {s:.1f} | {o:.1f} | {r:.1f}x | {m:.2f} | {d} |" for a, s, o, r, m, d in rows]
    lines += ["", summary, "", "Where `course grade`'s time goes (seconds, mean per assignment):", "",
              "| stage | seconds |", "|---|---|"]
    lines += [f"| {stage} | {seconds / max(len(ids), 1):.2f} |" for stage, seconds in stage_totals.items()]
    lines += ["", costs, "", memory, "", *cluster_section]
    out.write_text("\n".join(lines))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
