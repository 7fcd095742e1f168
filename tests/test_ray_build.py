"""The Ray engine: the same bytes as the local build, on a local Ray and on a two-node cluster.

Every Ray file (sessions, logs, sockets, the auth token under $HOME/.ray) stays under the test's
temporary folder; every process started here is stopped here, by its process group.
"""

import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from akhbar.bench import SyntheticCorpus, load_source, write_corpus  # noqa: E402
from akhbar.cli import main  # noqa: E402
from akhbar.pipeline import BuildConfig, build_dataset  # noqa: E402
from akhbar.ray_build import RayConfig, build_dataset_ray, connect, stage_folder  # noqa: E402
from akhbar.stages import file_ranges  # noqa: E402
from akhbar.evaluation import HELDOUT_SETS  # noqa: E402
from conftest import HELDOUT_ARGS, ROOT, SEEDS  # noqa: E402

GOLD_ARGS = ["--gold-body", str(ROOT / "tests/gold_body"), *HELDOUT_ARGS, "--agreement", str(ROOT / "tests/agreement")]


def file_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def ray_home(tmp_path_factory):
    """HOME and RAY_TMPDIR in a temporary folder for the module (Ray writes its auth token to
    $HOME/.ray and its sessions to RAY_TMPDIR). A short path: Ray's socket paths must fit 107 bytes."""
    home = tmp_path_factory.mktemp("rh")
    saved = {key: os.environ.get(key) for key in ("HOME", "RAY_TMPDIR", "RAY_AUTH_MODE")}
    os.environ.update(HOME=str(home), RAY_TMPDIR=str(home))
    yield home
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def local_ray(ray_home):
    """One local Ray (address "local", 2 CPUs) for the module's in-process builds."""
    assert connect(RayConfig(temp_dir=ray_home))
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """60 synthetic pages, a fifth of them exact and a fifth near copies (links, clusters, redating)."""
    folder = tmp_path_factory.mktemp("corpus") / "pages"
    source = load_source(SEEDS, ROOT / "tests/gold_body")
    write_corpus(folder, SyntheticCorpus(source, seed=1, exact_share=0.2, near_share=0.2).pages(60))
    return folder


def test_file_ranges_cut_as_the_shard_writer_does():
    assert file_ranges(0, 1000, 20000) == [(0, 0)]
    assert file_ranges(45000, 1000, 20000) == [(0, 20000), (20000, 40000), (40000, 45000)]
    assert file_ranges(260, 50, 120) == [(0, 150), (150, 260)]  # a file closes at the first full group past 120


def test_seeds_same_bytes_on_ray(local_ray, built, runner, tmp_path):
    out = tmp_path / "ray"
    result = runner.invoke(main, ["build", "--seeds", str(SEEDS), "--out", str(out), "--engine", "ray", "--quiet", *GOLD_ARGS])
    assert result.exit_code == 0, result.output
    assert "on Ray" in result.output
    assert file_hashes(out) == file_hashes(built)  # Parquet and card
    assert not stage_folder(out).exists()


def test_synthetic_corpus_same_bytes_whatever_the_partitions(local_ray, corpus, tmp_path):
    # small row groups and files, so that files are cut inside the documents of a chunk
    limits = {"rows_per_group": 40, "rows_per_file": 100, "progress": False}
    build_dataset(BuildConfig(seeds=corpus, out=tmp_path / "local", workers=1, **limits), heldout=[])
    expected = file_hashes(tmp_path / "local")
    assert len([name for name in expected if name.startswith("data/entities/")]) > 5
    for partitions, chunk in ((1, 2000), (3, 7)):
        out = tmp_path / f"ray-{partitions}"
        report = build_dataset_ray(BuildConfig(seeds=corpus, out=out, **limits),
                                   RayConfig(partitions=partitions, max_chunk_pages=chunk), heldout=[])
        assert file_hashes(out) == expected, report
    assert "9 chunks" in report  # 60 pages at most 7 a chunk


@pytest.mark.parametrize("heldout", HELDOUT_SETS)
def test_each_heldout_set_same_bytes_on_ray(local_ray, heldout, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for path in (ROOT / heldout).glob("*.txt"):
        shutil.copy(path, pages / path.name)
    cfg = {"seeds": pages, "progress": False}
    build_dataset(BuildConfig(out=tmp_path / "local", workers=1, **cfg), heldout=[])
    build_dataset_ray(BuildConfig(out=tmp_path / "ray", **cfg), RayConfig(), heldout=[])
    assert file_hashes(tmp_path / "ray") == file_hashes(tmp_path / "local")


def test_a_rerun_resumes_from_the_finished_tasks(local_ray, corpus, tmp_path):
    out = tmp_path / "out"
    bad_gold = tmp_path / "gold"
    bad_gold.mkdir()
    (bad_gold / "x.json").write_text("{not json", encoding="utf-8")
    cfg = BuildConfig(seeds=corpus, out=out, progress=False)
    with pytest.raises(ValueError):  # the card's figures fail after every task has finished
        build_dataset_ray(cfg, RayConfig(partitions=2), gold_body=bad_gold, heldout=[])
    assert not out.exists() and (stage_folder(out) / "inputs.json").exists()
    report = build_dataset_ray(cfg, RayConfig(partitions=2), heldout=[])
    assert " 0 tasks run" in report and "finished ones reused" in report
    build_dataset(BuildConfig(seeds=corpus, out=tmp_path / "local", workers=2, progress=False), heldout=[])
    assert file_hashes(out) == file_hashes(tmp_path / "local")
    assert not stage_folder(out).exists()


def test_a_killed_driver_is_resumed_by_the_next_run(local_ray, ray_home, corpus, runner, tmp_path):
    """The driver (and the Ray it started) killed outright once some tasks have finished: the next
    run of the same command reuses them, runs the rest, and makes the local build's bytes."""
    out = tmp_path / "out"
    args = ["build", "--seeds", str(corpus), "--out", str(out), "--engine", "ray", "--quiet",
            *[arg for option in ("--gold-body", "--heldout", "--agreement") for arg in (option, str(tmp_path / "none"))]]
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("RAY_")}, "HOME": str(ray_home), "RAY_TMPDIR": str(ray_home),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "scripts"), os.environ.get("PYTHONPATH")]))}
    driver = subprocess.Popen([sys.executable, "-m", "akhbar.cli", *args], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    markers = stage_folder(out) / "pass2"
    try:
        deadline = time.monotonic() + 240
        while not list(markers.glob("chunk-*.json")):
            assert driver.poll() is None and time.monotonic() < deadline, "the first build ended before a pass-2 task finished"
            time.sleep(0.05)
    finally:
        _stop(driver, first=signal.SIGKILL)
    assert not out.exists()
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    ran, reused = (int(n) for n in re.search(r"(\d+) tasks run, (\d+) finished ones reused", result.output).groups())
    assert ran > 0 and reused > 0, result.output
    build_dataset(BuildConfig(seeds=corpus, out=tmp_path / "local", workers=2, progress=False), heldout=[])
    assert file_hashes(out) == file_hashes(tmp_path / "local")


def test_a_bad_page_on_ray_is_one_line_and_leaves_nothing(local_ray, seed_copy, runner, tmp_path):
    (seed_copy / "zz_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    out = tmp_path / "o"
    result = runner.invoke(main, ["build", "--seeds", str(seed_copy), "--out", str(out), "--engine", "ray", "--quiet"])
    assert result.exit_code == 1
    assert "zz_binary.txt: the file is binary" in result.output and "Traceback" not in result.output
    assert not out.exists() and not stage_folder(out).exists()


def test_pages_and_dataset_at_urls_same_bytes(local_ray, fixture_seeds, built, runner, tmp_path):
    """``file://`` URLs take the code path of an object store (fsspec, no renames of folders, a
    publish file by file): the same bytes as the local build, and a previous build's extra file gone."""
    out = tmp_path / "shared" / "dataset"
    stale = out / "data" / "documents" / "train-00007-of-00009.parquet"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an earlier build's file")
    args = ["build", "--seeds", fixture_seeds.as_uri(), "--out", out.as_uri(), "--engine", "ray", "--quiet", *GOLD_ARGS]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert file_hashes(out) == file_hashes(built)
    assert not stage_folder(out).exists() and not list(out.parent.glob(".*"))


def test_a_url_needs_the_ray_engine(runner, fixture_seeds, tmp_path):
    result = runner.invoke(main, ["build", "--seeds", fixture_seeds.as_uri(), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "needs --engine ray" in result.output and "--seeds" in result.output


def test_a_url_fsspec_cannot_reach_is_refused_at_once(runner, tmp_path):
    result = runner.invoke(main, ["build", "--seeds", "nosuch://bucket/pages", "--out", str(tmp_path / "o"), "--engine", "ray"])
    assert result.exit_code == 2 and "Invalid value for '--seeds': nosuch://bucket/pages: " in result.output


def test_ray_address_needs_the_ray_engine(runner, tmp_path):
    result = runner.invoke(main, ["build", "--out", str(tmp_path / "o"), "--ray-address", "127.0.0.1:6379"])
    assert result.exit_code == 2 and "--ray-address needs --engine ray" in result.output


# --- a two-node cluster on loopback addresses -------------------------------------------------------

def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _ray_start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    """``ray start --block`` in its own process group: the node's processes (GCS, raylet, workers)
    are its children, and stopping the group stops them all and nothing else."""
    ray_cli = Path(sys.executable).with_name("ray")
    return subprocess.Popen([str(ray_cli), "start", "--block", "--disable-usage-stats", "--num-cpus=1", *args], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(process: subprocess.Popen, first: signal.Signals = signal.SIGTERM) -> None:
    """Stop the process group of ``process`` (``first``, then SIGKILL) and wait until it is gone."""
    for sig, wait in ((first, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            continue
        # the group may outlive its leader for a moment
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)


def _loopback_ok() -> bool:
    try:
        for host in ("127.0.0.2", "127.0.0.3"):
            with socket.socket() as s:
                s.bind((host, 0))
        return True
    except OSError:
        return False


def _s3_server(host: str, tmp: Path) -> tuple[subprocess.Popen, dict]:
    """An S3 server (moto) on ``host``, in its own process group, and the environment that points
    fsspec (s3fs) at it: the object store the nodes share instead of a disk."""
    port = _free_port(host)
    server = subprocess.Popen([str(Path(sys.executable).with_name("moto_server")), "-H", host, "-p", str(port)],
                              stdout=(tmp / "s3.log").open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    env = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1",
           "FSSPEC_S3_ENDPOINT_URL": f"http://{host}:{port}"}
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection((host, port), timeout=1):
                return server, env
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, (tmp / "s3.log").read_text()
            time.sleep(0.2)


@pytest.mark.skipif(not _loopback_ok(), reason="127.0.0.2 and 127.0.0.3 cannot be bound here")
def test_two_node_cluster_on_loopback_reads_and_writes_s3_same_bytes(corpus, runner, tmp_path_factory):
    """Two Ray nodes that share no folder: the pages are read from, the work staged in and the dataset
    written to an S3 bucket (a moto server on loopback). The second node is killed outright once a
    page chunk has finished; Ray reruns its tasks on the first, and the bytes are those of the local build."""
    s3fs = pytest.importorskip("s3fs")
    tmp = tmp_path_factory.mktemp("rc")  # short: Ray's socket paths must fit 107 bytes
    processes = []
    try:
        server, s3_env = _s3_server("127.0.0.2", tmp)
        processes.append(server)
        # not the RAY_* of the in-process Ray of the other tests (it sets RAY_AUTH_MODE for its children)
        env = {**{k: v for k, v in os.environ.items() if not k.startswith(("RAY_", "AWS_", "FSSPEC_"))}, **s3_env,
               "HOME": str(tmp), "RAY_TMPDIR": str(tmp),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "scripts"), os.environ.get("PYTHONPATH")]))}
        bucket = s3fs.S3FileSystem(key="test", secret="test", endpoint_url=s3_env["FSSPEC_S3_ENDPOINT_URL"])
        bucket.mkdir("akhbar")
        bucket.put(f"{corpus}/", "akhbar/pages/", recursive=True)
        bucket.pipe("akhbar/dataset/data/documents/train-00007-of-00009.parquet", b"an earlier build's file")
        no_gold = [arg for option in ("--gold-body", "--heldout", "--agreement") for arg in (option, str(tmp / "none"))]
        port = _free_port("127.0.0.2")
        address = f"127.0.0.2:{port}"
        processes.append(_ray_start(["--head", "--include-dashboard=false", "--node-ip-address=127.0.0.2", f"--port={port}",
                                     f"--temp-dir={tmp}"], env, tmp / "head.log"))
        deadline = time.monotonic() + 60
        while subprocess.run([str(Path(sys.executable).with_name("ray")), "status", f"--address={address}"], env=env,
                             capture_output=True).returncode != 0:
            assert processes[-1].poll() is None and time.monotonic() < deadline, (tmp / "head.log").read_text()
            time.sleep(1)
        processes.append(_ray_start([f"--address={address}", "--node-ip-address=127.0.0.3"], env, tmp / "node.log"))
        deadline = time.monotonic() + 60
        while "2 node" not in _nodes(address, env):
            assert processes[-1].poll() is None and time.monotonic() < deadline, (tmp / "node.log").read_text()
            time.sleep(1)
        log = tmp / "build.log"
        build = subprocess.Popen([sys.executable, "-m", "akhbar.cli", "build", "--seeds", "s3://akhbar/pages",
                                  "--out", "s3://akhbar/dataset", "--engine", "ray", "--ray-address", address, "--quiet", *no_gold],
                                 env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
        processes.append(build)
        deadline = time.monotonic() + 240
        while not bucket.glob("akhbar/.dataset.ray-stage/pass2/chunk-*.json"):
            assert build.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.1)
            bucket.invalidate_cache()
        _stop(processes[2], first=signal.SIGKILL)  # the node on 127.0.0.3, lost
        assert build.wait(300) == 0, log.read_text()[-3000:]
        assert "on Ray (4 chunks" in log.read_text()  # 2 × the CPUs the cluster had when the build began
        bucket.invalidate_cache()
        assert not bucket.exists("akhbar/.dataset.ray-stage")
        out = tmp / "out"
        bucket.get("akhbar/dataset/", f"{out}/", recursive=True)
    finally:
        for process in reversed(processes):
            _stop(process)
    local = tmp / "local"
    result = runner.invoke(main, ["build", "--seeds", str(corpus), "--out", str(local), "--workers", "1", "--quiet", *no_gold])
    assert result.exit_code == 0, result.output
    assert file_hashes(out) == file_hashes(local)


def _nodes(address: str, env: dict) -> str:
    code = (f"import ray; ray.init(address={address!r}, log_to_driver=False); "
            "print(len([n for n in ray.nodes() if n['Alive']]), 'node')")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout
