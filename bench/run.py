#!/usr/bin/env python3
"""The driver of `make bench` (see bench/README.md).

For each workload it runs the Swift side (`handout-bench`, `handout render`) and its peers (R, numpy,
PyTorch, matplotlib, rmarkdown, nbconvert) in the same invocation: one run under /usr/bin/time for the
printed result and the peak RSS (and to warm the caches), then hyperfine (or, without it, our own clock)
for RUNS whole-process timings each (LONG_RUNS for a row whose first run took over LONG seconds). Prints
a ratio table, checks the targets of issue 6 and writes bench/results.json.

Environment: BENCH_RUNS (default 5), BENCH_LONG_RUNS (default 3), BENCH_ONLY (comma-separated workload
ids, e.g. "W1,W3"), BENCH_SKIP (rows to leave out by the start of their name, e.g. "PyTorch,R"),
SWIFT_BIN (default .build-release/release, where `make release` builds).
"""
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
PEERS = os.path.join(BENCH, "peers")
VENV_PY = os.path.join(BENCH, ".venv", "bin", "python")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
# Rows of several seconds vary less between runs than their peers of milliseconds, and five runs of
# each made `make bench` take 12 minutes after the build; three runs of those keep it near 8.
LONG_RUNS = min(RUNS, int(os.environ.get("BENCH_LONG_RUNS", "3")))
LONG = 3.0
ONLY = {w.strip().upper() for w in os.environ.get("BENCH_ONLY", "").split(",") if w.strip()}
# Rows to leave out by the start of their name, e.g. "PyTorch,R" (under heavy load PyTorch's float64 W6
# took 288 s a run, and with its timed runs W6 alone would have taken over 20 minutes).
SKIP = [w.strip() for w in os.environ.get("BENCH_SKIP", "").split(",") if w.strip()]
SWIFT_BIN = os.path.join(ROOT, os.environ.get("SWIFT_BIN", ".build-release/release"))
BENCH_EXE = os.path.join(SWIFT_BIN, "handout-bench")
HANDOUT_EXE = os.path.join(SWIFT_BIN, "handout")
WORK = tempfile.mkdtemp(prefix="handout-bench-")
WEIGHTS = os.path.join(WORK, "w3-weights.txt")
NOTEBOOK = os.path.join(ROOT, "notebooks", "02-ann-from-scratch.md")

notes = []  # what was skipped and why, printed at the end


def note(text):
    notes.append(text)
    print(f"  note: {text}", flush=True)


def quiet_env():
    env = dict(os.environ)
    # OpenBLAS workarounds set on some machines slow a current numpy (see the machine notes); the
    # peers get the library's own kernel choice.
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    env["MPLBACKEND"] = "Agg"
    return env


ENV = quiet_env()


def have_python_module(module):
    if not os.path.exists(VENV_PY):
        return False
    return subprocess.run([VENV_PY, "-c", f"import {module}"], capture_output=True, env=ENV).returncode == 0


def have_r_package(package):
    if not shutil.which("Rscript"):
        return False
    r = subprocess.run(["Rscript", "-e", f"quit(status = !requireNamespace('{package}', quietly = TRUE))"],
                       capture_output=True)
    return r.returncode == 0


# MARK: - Measuring


def run_once(cmd, prepare=None):
    """One run under /usr/bin/time: (exit status, output, peak RSS in KiB, seconds)."""
    if prepare:
        subprocess.run(prepare, shell=True, check=True, cwd=ROOT, env=ENV)
    rss_file = os.path.join(WORK, "rss")
    timer = ["/usr/bin/time", "-f", "%M %U %S", "-o", rss_file] if os.path.exists("/usr/bin/time") else []
    start = time.perf_counter()
    p = subprocess.run(timer + ["sh", "-c", cmd], capture_output=True, text=True, cwd=ROOT, env=ENV)
    seconds = time.perf_counter() - start
    rss = cpu = None
    if timer:
        try:
            fields = open(rss_file).read().strip().splitlines()[-1].split()
            rss, cpu = int(fields[0]), float(fields[1]) + float(fields[2])
        except (OSError, ValueError, IndexError):
            pass
    output = (p.stdout.strip().splitlines() or [""])[-1] if p.returncode == 0 else (p.stderr.strip()[-300:])
    return p.returncode, output, rss, seconds, cpu


def time_runs(rows, runs):
    """`runs` timings for each row, side by side in one hyperfine invocation when hyperfine is here."""
    if shutil.which("hyperfine"):
        out = os.path.join(WORK, "hyperfine.json")
        args = ["hyperfine", "--runs", str(runs), "--style", "basic", "--export-json", out]
        for row in rows:
            if row.get("prepare"):
                args += ["--prepare", row["prepare"]]
            else:
                args += ["--prepare", "true"]
        args += [row["cmd"] for row in rows]
        p = subprocess.run(args, cwd=ROOT, env=ENV, capture_output=True, text=True)
        if p.returncode == 0:
            results = json.load(open(out))["results"]
            return [r["times"] for r in results]
        note(f"hyperfine failed ({p.stderr.strip()[-200:]}); timing with our own clock")
    times = []
    for row in rows:
        ts = []
        for _ in range(runs):
            if row.get("prepare"):
                subprocess.run(row["prepare"], shell=True, cwd=ROOT, env=ENV)
            start = time.perf_counter()
            subprocess.run(row["cmd"], shell=True, cwd=ROOT, env=ENV, capture_output=True)
            ts.append(time.perf_counter() - start)
        times.append(ts)
    return times


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def measure(workload, rows):
    """Runs every available row of a workload; returns the rows with their measurements."""
    print(f"\n{workload['id']} {workload['title']}", flush=True)
    live = []
    for row in rows:
        if any(row["name"] == w or row["name"].startswith(w + " ") for w in SKIP):
            row["missing"] = "left out (BENCH_SKIP)"
        if row.get("missing"):
            row["status"] = "skipped"
            note(f"{workload['id']} {row['name']}: {row['missing']}")
            continue
        status, output, rss, seconds, cpu = run_once(row["cmd"], row.get("prepare"))
        row["output"] = output
        row["rss_kib"] = rss
        row["cpu_seconds"] = cpu
        if status != 0:
            row["status"] = "pending" if status == 3 else "failed"
            note(f"{workload['id']} {row['name']}: exit {status}: {output}")
            continue
        row["status"] = "ok"
        row["first_seconds"] = seconds
        print(f"  {row['name']:<22} {seconds:7.3f} s  {output}", flush=True)
        live.append(row)
    together = [row for row in live if row.get("interleaved")]
    if len(together) < 2:
        together = []
    alone = [row for row in live if row not in together]
    short = [row for row in alone if row["first_seconds"] <= LONG]
    long = [row for row in alone if row["first_seconds"] > LONG]
    for group, runs in ((short, RUNS), (long, LONG_RUNS)):
        if not group:
            continue
        for row, times in zip(group, time_runs(group, runs)):
            row["times"] = times
            row["median"] = median(times)
            row["min"] = min(times)
            row["max"] = max(times)
    if together:
        workload["interleaved"] = interleaved(together, LONG_RUNS if any(
            row["first_seconds"] > LONG for row in together) else RUNS)
    for row in live:
        other = next((r for r in live if r["name"] == row.get("no_slower_than")), None)
        if other is not None:
            row["paired"] = paired(row, other)
    return rows


def interleaved(rows, runs):
    """The rows timed in rounds, run k of each in turn, the order reversed every round (ABBA), so that
    a change of the machine's speed during the rows (on a VM, where the host places the two vCPUs:
    bench/README.md 54.) falls on every row alike instead of on one row's block of runs. Sets each
    row's times; returns the rows' names and the later rows' time ÷ the first row's, round by round."""
    times = [[] for _ in rows]
    for k in range(runs):
        order = range(len(rows)) if k % 2 == 0 else reversed(range(len(rows)))
        for i in order:
            start = time.perf_counter()
            subprocess.run(rows[i]["cmd"], shell=True, cwd=ROOT, env=ENV, capture_output=True)
            times[i].append(time.perf_counter() - start)
    for row, ts in zip(rows, times):
        row.update(times=ts, median=median(ts), min=min(ts), max=max(ts))
    ratios = {row["name"]: [t / s for t, s in zip(ts, times[0])] for row, ts in zip(rows[1:], times[1:])}
    names = " and ".join(row["name"] for row in rows)
    for name, rs in ratios.items():
        print(f"  interleaved: {names}, {runs} rounds (ABBA): {name} ÷ {rows[0]['name']} within a round "
              f"{median(rs):.2f} ({min(rs):.2f}–{max(rs):.2f})", flush=True)
    return {"rows": [row["name"] for row in rows], "runs": runs, "ratios": ratios}


PAIRS = max(RUNS, 7)


def paired(a, b):
    """`a` and `b` timed in turn, PAIRS pairs in ABBA order (so a drift of the machine's speed falls on
    both alike): their medians, the median of the pairwise ratios a/b, and the run-to-run spread, the
    larger of the two rows' median absolute deviations relative to their medians. "No slower" is then
    judged with that spread as the tolerance: a difference smaller than the noise is no difference."""
    times = {"a": [], "b": []}
    for i in range(PAIRS):
        for key in ("ab" if i % 2 == 0 else "ba"):
            row = a if key == "a" else b
            start = time.perf_counter()
            subprocess.run(row["cmd"], shell=True, cwd=ROOT, env=ENV, capture_output=True)
            times[key].append(time.perf_counter() - start)

    def spread(xs):
        m = median(xs)
        return median([abs(x - m) for x in xs]) / m

    ma, mb = median(times["a"]), median(times["b"])
    tolerance = max(spread(times["a"]), spread(times["b"]))
    ratio = median([x / y for x, y in zip(times["a"], times["b"])])
    print(f"  paired: {a['name']} {fmt_time(ma)} vs {b['name']} {fmt_time(mb)} ({PAIRS} pairs, ratio {ratio:.3f}, "
          f"spread ±{tolerance * 100:.1f}%)", flush=True)
    return {"a": times["a"], "b": times["b"], "median_a": ma, "median_b": mb, "ratio": ratio,
            "tolerance": tolerance, "met": ma <= mb * (1 + tolerance)}


# MARK: - The workloads


def py(script, *args):
    return " ".join([shlex.quote(VENV_PY), shlex.quote(os.path.join(PEERS, script))] + [shlex.quote(a) for a in args])


def r(script, *args):
    return " ".join(["Rscript", shlex.quote(os.path.join(PEERS, script))] + [shlex.quote(a) for a in args])


def swift(*args):
    return " ".join([shlex.quote(BENCH_EXE)] + [shlex.quote(a) for a in args])


def busy(cmd):
    """`cmd` with a busy loop in another process beside it (killed when `cmd` ends)."""
    return (f"sh -c 'while :; do :; done' & b=$!; {cmd}; s=$?; kill $b; wait $b 2>/dev/null; exit $s")


def workloads():
    numpy_missing = None if have_python_module("numpy") else "numpy is not installed in bench/.venv"
    mpl_missing = None if have_python_module("matplotlib") else "matplotlib is not installed in bench/.venv"
    torch_missing = None if have_python_module("torch") else (
        "PyTorch is not installed in bench/.venv (no CPU wheel in /opt/wheels; PyPI's torch is the ~3 GB CUDA build)")
    r_missing = None if shutil.which("Rscript") else "R (Rscript) is not installed"
    rmd_missing = None
    if r_missing:
        rmd_missing = r_missing
    elif not have_r_package("rmarkdown"):
        rmd_missing = "R package rmarkdown is not installed (Debian: r-cran-rmarkdown)"
    elif not shutil.which("pandoc"):
        rmd_missing = "pandoc is not installed"
    nbconvert_missing = None if have_python_module("nbconvert") and have_python_module("ipykernel") else (
        "nbconvert/ipykernel are not installed in bench/.venv")
    swift_missing = None if os.path.exists(BENCH_EXE) else f"{BENCH_EXE} is not built"
    handout_missing = None if os.path.exists(HANDOUT_EXE) else f"{HANDOUT_EXE} is not built (the runner did not build)"

    yield {"id": "W1", "title": "single neuron, 10000 epochs (lecture 000)"}, [
        {"name": "Swift", "swift": True, "cmd": swift("w1"), "missing": swift_missing},
        {"name": "R (lecture loop)", "cmd": r("w1_neuron.R"), "missing": r_missing, "target": 20},
        {"name": "numpy", "cmd": py("w1_neuron.py"), "missing": numpy_missing},
    ]
    yield {"id": "W2", "title": "gradient descent, 1000 steps, set.seed(123)"}, [
        {"name": "Swift", "swift": True, "cmd": swift("w2"), "missing": swift_missing},
        {"name": "R (lecture loop)", "cmd": r("w2_gradient_descent.R"), "missing": r_missing, "target": 20},
    ]
    yield {"id": "W3", "title": "MLP 2-16-16-1 tanh/sigmoid, BCE, Adam 0.01, 1000 spiral points, 2000 epochs",
           "accuracy": True}, [
        {"name": "Swift", "swift": True, "cmd": swift("w3", "--save", WEIGHTS), "missing": swift_missing},
        {"name": "Swift, 1 thread", "swift": True, "cmd": "NEURAL_THREADS=1 " + swift("w3"),
         "missing": swift_missing},
        {"name": "Swift, SSE2", "swift": True, "cmd": "NEURAL_ISA=sse2 " + swift("w3"), "missing": swift_missing},
        # Another process keeps one core busy (a shell loop, started and killed around each run): two
        # threads must be no slower than one.
        {"name": "Swift, 1 core busy", "swift": True, "cmd": busy(swift("w3")), "missing": swift_missing,
         "no_slower_than": "Swift, 1 thr, 1 busy"},
        {"name": "Swift, 1 thr, 1 busy", "swift": True, "cmd": busy("NEURAL_THREADS=1 " + swift("w3")),
         "missing": swift_missing},
        {"name": "numpy", "cmd": py("w3_mlp_numpy.py"), "missing": numpy_missing, "target": 2.5},
        {"name": "PyTorch CPU f64 1thr", "cmd": py("w3_mlp_torch.py"), "missing": torch_missing, "target": 3},
        {"name": "R", "cmd": r("w3_mlp.R"), "missing": r_missing},
    ]
    png = os.path.join(WORK, "boundary")
    weights_missing = None if os.path.exists(WEIGHTS) else "no trained W3 weights (W3's Swift run did not finish)"
    yield {"id": "W4", "title": "decision boundary of the W3 net, 500x500 grid, PNG"}, [
        {"name": "Swift", "swift": True, "cmd": swift("w4", WEIGHTS, png + "-swift.png"),
         "missing": swift_missing or weights_missing},
        {"name": "numpy+matplotlib", "cmd": py("w4_boundary_matplotlib.py", WEIGHTS, png + "-mpl.png"),
         "missing": numpy_missing or mpl_missing or weights_missing, "target": 5},
        {"name": "R", "cmd": r("w4_boundary.R", WEIGHTS, png + "-r.png"), "missing": r_missing or weights_missing},
    ]
    yield w5(handout_missing, rmd_missing, nbconvert_missing)
    yield w7(handout_missing)
    yield w8(handout_missing)
    yield {"id": "W6", "title": "MLP 784-256-10 ReLU/softmax, mini-batch 64, 5 epochs, 20000 samples"}, [
        # Swift and numpy are timed interleaved, run k of each in turn (`interleaved`): both programs run
        # at one of two speeds by where the host puts the two vCPUs (bench/README.md 54.), and timed one
        # block after the other the two rows could fall in different modes.
        {"name": "Swift", "swift": True, "cmd": swift("w6"), "missing": swift_missing, "interleaved": True},
        {"name": "Swift, 1 thread", "swift": True, "cmd": "NEURAL_THREADS=1 " + swift("w6"),
         "missing": swift_missing},
        {"name": "Swift, SSE2", "swift": True, "cmd": "NEURAL_ISA=sse2 " + swift("w6"), "missing": swift_missing},
        # As in W3: with another process on one core, two threads must be no slower than one (issue 25).
        {"name": "Swift, 1 core busy", "swift": True, "cmd": busy(swift("w6")), "missing": swift_missing,
         "no_slower_than": "Swift, 1 thr, 1 busy"},
        {"name": "Swift, 1 thr, 1 busy", "swift": True, "cmd": busy("NEURAL_THREADS=1 " + swift("w6")),
         "missing": swift_missing},
        {"name": "PyTorch CPU f64", "cmd": py("w6_torch.py"), "missing": torch_missing, "target": 1},
        {"name": "PyTorch CPU f32", "cmd": py("w6_torch.py", "--float32"), "missing": torch_missing},
        {"name": "numpy", "cmd": py("w6_numpy.py"), "missing": numpy_missing, "target": 1.5, "interleaved": True},
    ]


def w5(handout_missing, rmd_missing, nbconvert_missing):
    """W5: `handout render` of the single-neuron notebook, cold (empty cache) and warm (prose edited),
    next to rmarkdown::render of the R Markdown twin and nbconvert --execute of the Jupyter twin."""
    d = os.path.join(WORK, "w5")
    os.makedirs(d, exist_ok=True)
    nb = os.path.join(d, "02-ann-from-scratch.md")
    if os.path.exists(NOTEBOOK):
        shutil.copy(NOTEBOOK, nb)
    else:
        handout_missing = handout_missing or f"{NOTEBOOK} does not exist"
    cache, out = os.path.join(d, "cache"), os.path.join(d, "out")
    runtime = f"--runtime {shlex.quote(SWIFT_BIN)}"
    render = f"{shlex.quote(HANDOUT_EXE)} render {shlex.quote(nb)} --out {shlex.quote(out)} --cache {shlex.quote(cache)} {runtime}"
    # Warm: the cache holds this notebook's compiled program and run; only a prose line changes.
    edit = (f"{shlex.quote(sys.executable)} -c \"import sys,time;p=sys.argv[1];s=open(p).read().rsplit('<!-- edit',1)[0];"
            f"open(p,'w').write(s+'<!-- edit %f -->\\n'%time.time())\" {shlex.quote(nb)}")
    rmd_dir = os.path.join(d, "rmd")
    os.makedirs(rmd_dir, exist_ok=True)
    shutil.copy(os.path.join(PEERS, "w5_handout.Rmd"), rmd_dir)
    rmd = os.path.join(rmd_dir, "w5_handout.Rmd")
    ipynb = os.path.join(d, "w5_handout.ipynb")
    shutil.copy(os.path.join(PEERS, "w5_handout.ipynb"), ipynb)
    jupyter = os.path.join(os.path.dirname(VENV_PY), "jupyter")
    return {"id": "W5", "title": "render the single-neuron notebook to HTML"}, [
        {"name": "Swift cold", "swift": True, "cmd": render, "missing": handout_missing,
         "prepare": f"rm -rf {shlex.quote(cache)} {shlex.quote(out)}"},
        {"name": "Swift warm", "swift": True, "cmd": render, "missing": handout_missing, "prepare": edit,
         "absolute": 0.1},
        {"name": "rmarkdown::render", "cmd": f"Rscript -e {shlex.quote(f'rmarkdown::render({rmd!r}, quiet = TRUE)')}",
         "missing": rmd_missing, "target": 2, "vs": "Swift cold"},
        {"name": "nbconvert --execute", "cmd": f"{shlex.quote(jupyter)} nbconvert --to html --execute {shlex.quote(ipynb)} --log-level WARN",
         "missing": nbconvert_missing, "vs": "Swift cold"},
    ]


def w7(handout_missing):
    """W7: a generated course of 40 notebooks (bench/course40.py) rendered with `--jobs 2`: cold (empty
    cache), warm after one prose edit (no notebook recompiled), warm after one code edit (one
    notebook recompiled and re-run)."""
    d = os.path.join(WORK, "w7")
    course = os.path.join(d, "course")
    sys.path.insert(0, BENCH)
    import course40
    course40.write_course(course, 40)
    cache, out = os.path.join(d, "cache"), os.path.join(d, "out")
    render = (f"{shlex.quote(HANDOUT_EXE)} render {shlex.quote(course)} --jobs 2 --out {shlex.quote(out)} "
              f"--cache {shlex.quote(cache)} --runtime {shlex.quote(SWIFT_BIN)}")

    def edit(notebook, pattern, replacement):
        path = shlex.quote(os.path.join(course, notebook))
        return (f"{shlex.quote(sys.executable)} -c \"import re,sys,time;p=sys.argv[1];s=open(p).read();"
                f"open(p,'w').write(re.sub(r'{pattern}', '{replacement}' % int(time.time()*1e6), s))\" {path}")

    return {"id": "W7", "title": "render a 40-notebook course (--jobs 2), cold and warm"}, [
        {"name": "Swift cold", "swift": True, "cmd": render, "missing": handout_missing,
         "prepare": f"rm -rf {shlex.quote(cache)} {shlex.quote(out)}"},
        {"name": "Swift warm, prose", "swift": True, "cmd": render, "missing": handout_missing,
         "prepare": edit("lecture-17.md", r"Edit marker [0-9]+\\.", "Edit marker %d."), "absolute": 1},
        {"name": "Swift warm, code", "swift": True, "cmd": render, "missing": handout_missing,
         "prepare": edit("lecture-23.md", r"let marker = [0-9]+", "let marker = %d")},
    ]


def w8(handout_missing):
    """W8: the course (notebooks/) rendered with `--slides --pdf`, warm: once with nothing changed, once
    after a one-word prose edit in notebook 03 (its page, deck and PDF are made again; nothing is
    recompiled or re-run). The cold render that fills the cache is a preparation, not timed."""
    d = os.path.join(WORK, "w8")
    course = os.path.join(d, "notebooks")
    shutil.copytree(os.path.join(ROOT, "notebooks"), course, dirs_exist_ok=True)
    cache, out = os.path.join(d, "cache"), os.path.join(d, "out")
    render = (f"{shlex.quote(HANDOUT_EXE)} render {shlex.quote(course)} --slides --pdf --out {shlex.quote(out)} "
              f"--cache {shlex.quote(cache)} --runtime {shlex.quote(SWIFT_BIN)}")
    page = shlex.quote(os.path.join(course, "03-universal-approximation.md"))
    # One word of prose, toggled so every run edits: "proved" <-> "showed".
    edit = (f"{shlex.quote(sys.executable)} -c \"import sys;p=sys.argv[1];s=open(p).read();"
            f"a,b=('proved','showed') if ') proved that' in s else ('showed','proved');"
            f"open(p,'w').write(s.replace(') '+a+' that',') '+b+' that',1))\" {page}")
    missing = handout_missing or (None if shutil.which("chromium") else "chromium is not installed (--pdf needs it)")
    return {"id": "W8", "title": "re-render the course with --slides --pdf, warm"}, [
        {"name": "Swift warm, unchanged", "swift": True, "cmd": render, "missing": missing,
         "prepare": f"[ -d {shlex.quote(out)} ] || {render} >/dev/null 2>&1", "absolute": 2},
        {"name": "Swift warm, one word", "swift": True, "cmd": render, "missing": missing,
         "prepare": edit, "absolute": 2},
    ]


# MARK: - Memory growth


def memory_growth(results):
    """Peak RSS of the Swift training at a tenth (W3) or a fifth (W6) of the epochs next to the full
    run's (the Swift row's first run): training memory should not grow with epochs."""
    if not os.path.exists(BENCH_EXE):
        return None
    out = {}
    full = {w["id"]: row for w, rows in results for row in rows if row["name"] == "Swift"}
    for name, short, epochs in (("W3", ["w3", "--epochs", "200"], 2000), ("W6", ["w6", "--epochs", "1"], 5)):
        row = full.get(name)
        if not row or row.get("status") != "ok" or not row.get("rss_kib"):
            continue
        a = run_once(swift(*short))
        if a[0] == 0 and a[2]:
            out[name] = {"epochs": [int(short[-1]), epochs], "rss_kib": [a[2], row["rss_kib"]]}
    return out


# MARK: - Report


def fmt_time(s):
    if s is None:
        return "-"
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def accuracy_of(row):
    m = re.search(r"accuracy ([0-9.]+)", row.get("output", ""))
    return float(m.group(1)) if m else None


def report(results, growth):
    lines = []
    header = (f"{'':<5} {'implementation':<22} {'median':>9} {'min–max':>19} {'CPU':>8} {'peak RSS':>9}"
              f"  {'× Swift':>8}  result")
    lines.append(header)
    lines.append("-" * len(header))
    targets = []
    for workload, rows in results:
        swift_rows = {row["name"]: row for row in rows if row.get("swift") and row.get("median") is not None}
        for row in rows:
            ratio = ""
            base = swift_rows.get(row.get("vs", "Swift"))
            if not row.get("swift") and row.get("median") and base:
                ratio = f"{row['median'] / base['median']:.1f}×"
            if row.get("median") is not None:
                span = f"{fmt_time(row['min'])}–{fmt_time(row['max'])}"
                rss = f"{row['rss_kib'] / 1024:.0f} MB" if row.get("rss_kib") else "-"
                result = row.get("output", "")[:60]
                cpu = fmt_time(row.get("cpu_seconds"))
                lines.append(f"{workload['id']:<5} {row['name']:<22} {fmt_time(row['median']):>9} {span:>19} {cpu:>8}"
                             f" {rss:>9}  {ratio:>8}  {result}")
            else:
                lines.append(f"{workload['id']:<5} {row['name']:<22} {row.get('status', '-'):>9}")
            # Targets
            if row.get("target") and base:
                want = row["target"]
                met = bool(row.get("median")) and row["median"] / base["median"] >= want
                what = f"{workload['id']} Swift ≥ {want:g}× faster than {row['name']}"
                together = workload.get("interleaved")
                if together and row["name"] in together["ratios"]:
                    what += " (runs interleaved ABBA)"
                got = f"{row['median'] / base['median']:.1f}×" if row.get("median") else row.get("status", "-")
                if workload.get("accuracy") and row.get("median"):
                    a, b = accuracy_of(base), accuracy_of(row)
                    if a is not None and b is not None:
                        got += f", accuracy {a:.4f} vs {b:.4f}"
                        met = met and a >= b
                if together and row["name"] in together["ratios"]:
                    rs = together["ratios"][row["name"]]
                    got += f"; within a round {median(rs):.2f} ({min(rs):.2f}–{max(rs):.2f})"
                if row.get("status") != "ok":
                    targets.append((what, None, got))
                else:
                    targets.append((what, met, got))
            other = next((r for r in rows if r["name"] == row.get("no_slower_than")), None)
            if other is not None:
                what = f"{workload['id']} {row['name']} no slower than {other['name']}"
                pair = row.get("paired")
                if pair:
                    # Interleaved pairs, medians, within the measured run-to-run spread (see `paired`).
                    targets.append((what + " (within the run-to-run spread)", pair["met"],
                                    f"{fmt_time(pair['median_a'])} vs {fmt_time(pair['median_b'])}, "
                                    f"{PAIRS} ABBA pairs, ratio {pair['ratio']:.3f}, "
                                    f"spread ±{pair['tolerance'] * 100:.1f}%"))
                elif row.get("median") and other.get("median"):
                    targets.append((what, row["median"] <= other["median"],
                                    f"{fmt_time(row['median'])} vs {fmt_time(other['median'])}"))
                else:
                    targets.append((what, None, row.get("status", "-")))
            if row.get("absolute") and row.get("median") is not None:
                targets.append((f"{workload['id']} {row['name']} < {row['absolute']:g} s",
                                row["median"] < row["absolute"], fmt_time(row["median"])))
            elif row.get("absolute"):
                targets.append((f"{workload['id']} {row['name']} < {row['absolute']:g} s", None, row.get("status", "-")))
        together = workload.get("interleaved")
        if together:
            lines.append(f"{workload['id']:<5} {' and '.join(together['rows'])} timed interleaved: run k of each in "
                         f"turn, the order reversed every round (ABBA), {together['runs']} rounds")
        lines.append("")
    if growth:
        for name, g in growth.items():
            a, b = g["rss_kib"]
            lines.append(f"memory: {name} Swift peak RSS {a / 1024:.1f} MB at {g['epochs'][0]} epochs, "
                         f"{b / 1024:.1f} MB at {g['epochs'][1]} epochs")
            targets.append((f"{name} training memory does not grow with epochs", b <= a * 1.05 + 1024,
                            f"{(b - a) / 1024:+.1f} MB"))
    lines.append("")
    lines.append("targets:")
    for what, met, got in targets:
        mark = "n/a " if met is None else ("MET " if met else "MISS")
        lines.append(f"  [{mark}] {what}: {got}")
    return "\n".join(lines), targets


def machine():
    """The CPU as the kernel names it, the vector path Swift's products take on it, and what the
    product kernel reaches there on one thread (`handout-bench flops`, W6's forward product for
    ~2 s): every table says which CPU and vector width it was measured on."""
    info = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                info.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    flags = set(info.get("flags", "").split())
    widest = "avx512" if "avx512f" in flags else "avx2" if "avx2" in flags else "sse2"
    bits = {"avx512": 512, "avx2": 256, "sse2": 128}
    product = ""
    if os.path.exists(BENCH_EXE):
        p = subprocess.run([BENCH_EXE, "flops"], capture_output=True, text=True, cwd=ROOT,
                           env=dict(ENV, NEURAL_THREADS="1"))
        product = p.stdout.strip()
    path = next((isa for isa in bits if f" on {isa}," in product), widest)
    return {
        "cpu": info.get("model name", ""),
        "family": info.get("cpu family", ""),
        "model": info.get("model", ""),
        "cores": os.cpu_count(),
        "fma": "fma" in flags,
        "vector_path": path,
        "vector_bits": bits[path],
        "product_one_thread": product,
    }


def machine_line(m):
    fma = "FMA" if m["fma"] else "no FMA"
    line = (f"machine: {m['cpu']} (family {m['family']}, model {m['model']}), {m['cores']} cores, {fma}; "
            f"Swift's products on the {m['vector_path']} path, {m['vector_bits']}-bit vectors "
            f"({m['vector_bits'] // 64} doubles)")
    if m["product_one_thread"]:
        line += f"\nproduct kernel, 1 thread, W6's forward product: {m['product_one_thread']}"
    return line


def main():
    if not os.path.exists(BENCH_EXE):
        note(f"{BENCH_EXE} missing: run `make bench` (it builds it)")
    load_before = os.getloadavg()
    results = []
    for workload, rows in workloads():
        if ONLY and workload["id"] not in ONLY:
            continue
        results.append((workload, measure(workload, rows)))
    growth = memory_growth(results)
    load_after = os.getloadavg()
    table, targets = report(results, growth)
    host = machine()
    table = machine_line(host) + "\n\n" + table
    print("\n" + table)
    if notes:
        print("\nnotes:")
        for n in notes:
            print(f"  - {n}")
    print(f"\nload average {load_before[0]:.2f} before, {load_after[0]:.2f} after; {os.cpu_count()} cores; "
          f"{RUNS} runs each ({LONG_RUNS} of a row over {LONG:g} s; whole process); CPU = user + system "
          f"seconds of the first run, peak RSS of it too")
    doc = {
        "machine": dict(host, platform=platform.platform(), load_before=load_before, load_after=load_after),
        "runs": RUNS,
        "long_runs": LONG_RUNS,
        "workloads": [{"id": w["id"], "title": w["title"], "interleaved": w.get("interleaved"),
                       "rows": [{k: v for k, v in row.items() if k not in ("missing",)} for row in rows]}
                      for w, rows in results],
        "memory": growth,
        "targets": [{"target": w, "met": m, "measured": g} for w, m, g in targets],
        "notes": notes,
        "table": table,
    }
    with open(os.path.join(BENCH, "results.json"), "w") as f:
        json.dump(doc, f, indent=1)
    print(f"wrote {os.path.relpath(os.path.join(BENCH, 'results.json'), ROOT)}")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
