"""Interrupted and crashed runs: SIGTERM and SIGINT clean their staging folder, lock and worker pool;
what a dead process left is cleaned by the next build; nothing stays beside --out."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from akhbar.cli import main
from akhbar.lock import folder_lock, lock_path
from akhbar.write import remove_stale
from conftest import ROOT

SCRIPTS = ROOT / "scripts"


def parquet_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.parquet"))}


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_cleans_up_and_keeps_the_previous_build(built, fixture_seeds, tmp_path, signum):
    work = tmp_path / "work"
    work.mkdir()
    out = work / "dataset"
    shutil.copytree(built, out)
    before = parquet_hashes(out)
    env = {**os.environ, "PYTHONPATH": str(SCRIPTS)}
    command = [sys.executable, "-c", "from akhbar.cli import main; main()", "build", "--seeds", str(fixture_seeds),
               "--out", str(out), "--workers", "2", "--gold-body", str(tmp_path / "none"), "--agreement", str(tmp_path / "none")]
    run = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not any(".tmp-" in p.name for p in work.iterdir()):
        assert run.poll() is None and time.monotonic() < deadline, run.communicate()
        time.sleep(0.02)
    time.sleep(1.5)  # into the build, the worker pool started
    assert run.poll() is None, "the build ended before it could be interrupted"
    run.send_signal(signum)
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 128 + signum, stdout + stderr
    assert f"Interrupted by {signal.Signals(signum).name}: stopped" in stderr
    assert "Traceback" not in stderr and "leaked" not in stderr, stderr
    assert sorted(p.name for p in work.iterdir()) == ["dataset"]  # no staging folder, no lock file
    assert parquet_hashes(out) == before


def test_the_next_build_removes_what_a_dead_build_left(runner, fixture_seeds, tmp_path):
    out = tmp_path / "dataset"
    pid = dead_pid()
    for name in (f".dataset.tmp-{pid}", f".dataset.old-{pid}"):
        (tmp_path / name / "data").mkdir(parents=True)
        (tmp_path / name / "data" / "x.parquet.part").write_bytes(b"half")
    alive = tmp_path / f".dataset.tmp-{os.getppid()}"  # a live process's staging folder is left alone
    alive.mkdir()
    result = runner.invoke(main, ["build", "--seeds", str(fixture_seeds), "--out", str(out), "--workers", "1", "--quiet",
                                  "--gold-body", str(tmp_path / "none"), "--agreement", str(tmp_path / "none")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["dataset", alive.name])


def test_a_previous_copy_is_put_back_when_the_folder_is_missing(tmp_path):
    """A process that died between the two renames of replace_dir left only the old copy."""
    old = tmp_path / f".dataset.old-{dead_pid()}"
    old.mkdir()
    (old / "README.md").write_text("the previous build", encoding="utf-8")
    remove_stale(tmp_path / "dataset")
    assert (tmp_path / "dataset" / "README.md").read_text(encoding="utf-8") == "the previous build"
    assert not old.exists()


def test_the_lock_file_is_removed_and_the_lock_still_excludes(tmp_path):
    folder = tmp_path / "x"
    with folder_lock(folder, timeout=1) as path:
        assert path == lock_path(folder) and path.exists() and path.parent == tmp_path
        # a second command waits, then gives up
        from akhbar.lock import LockTimeout
        with pytest.raises(LockTimeout):
            with folder_lock(folder, timeout=0.1):
                pass
    assert not path.exists()
    with folder_lock(folder, timeout=1):  # and can be taken again
        pass
    assert list(tmp_path.iterdir()) == []


def test_a_waiter_on_a_removed_lock_file_takes_the_new_one(tmp_path):
    """Two commands in other processes queue behind a holder; each gets the lock alone."""
    folder = tmp_path / "x"
    log = tmp_path / "log"
    code = ("import sys, time; sys.path.insert(0, sys.argv[1]); from pathlib import Path; from akhbar.lock import folder_lock\n"
            "with folder_lock(Path(sys.argv[2]), timeout=30):\n"
            "    with open(sys.argv[3], 'a') as f: f.write('in\\n'); f.flush(); time.sleep(0.3); f.write('out\\n')\n")
    with folder_lock(folder, timeout=1):
        runs = [subprocess.Popen([sys.executable, "-c", code, str(SCRIPTS), str(folder), str(log)]) for _ in range(3)]
        time.sleep(0.5)
    assert [run.wait(timeout=60) for run in runs] == [0, 0, 0]
    assert log.read_text().split() == ["in", "out"] * 3  # never two inside at once
    assert list(tmp_path.iterdir()) == [log]


def _die_on_the_third(item: int) -> int:
    """Run in a worker process: the worker is killed outright on item 3, as the OOM killer does."""
    if item == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return item


def test_a_killed_worker_stops_the_build_with_an_error_not_a_hang(tmp_path):
    from akhbar.pipeline import BuildConfig, WorkerError, _in_windows, worker_pool
    cfg = BuildConfig(seeds=tmp_path, out=tmp_path / "out", workers=2, batch_size=4)
    with pytest.raises(WorkerError, match="a worker process died"):
        with worker_pool(cfg) as pool:
            list(_in_windows(pool, _die_on_the_third, list(range(20)), cfg))
    # the surviving worker was stopped with the pool
    assert not [p for p in __import__("multiprocessing").active_children() if "Process" in type(p).__name__]


def test_a_killed_worker_is_one_line_and_exit_1(fixture_seeds, tmp_path):
    """The whole command: a worker killed mid-build (here by a signal from outside) → exit 1,
    one clear line, no traceback, the output folder untouched."""
    out = tmp_path / "dataset"
    env = {**os.environ, "PYTHONPATH": str(SCRIPTS)}
    command = [sys.executable, "-c", "from akhbar.cli import main; main()", "build", "--seeds", str(fixture_seeds),
               "--out", str(out), "--workers", "2", "--quiet", "--gold-body", str(tmp_path / "none"),
               "--agreement", str(tmp_path / "none")]
    run = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           start_new_session=True)
    deadline = time.monotonic() + 120
    workers = []
    while not workers:
        assert run.poll() is None and time.monotonic() < deadline, run.communicate()
        workers = _workers_of(run.pid)
        time.sleep(0.05)
    os.kill(workers[0], signal.SIGKILL)
    stdout, stderr = run.communicate(timeout=120)
    if run.returncode == 0:
        pytest.skip("the build finished before the worker was killed")
    assert run.returncode == 1, stdout + stderr
    assert "a worker process died" in stderr and "Traceback" not in stderr, stderr
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == []


def _workers_of(pid: int) -> list[int]:
    """Pids of the build's pool workers: children of its forkserver, itself a child of ``pid``."""
    from akhbar.bench import _children  # the bench's reading of /proc, for its memory sampler
    return [worker for server in _children(pid) for worker in _children(server)]
