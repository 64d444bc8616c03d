"""Data and test helpers for SageMaker integration: script mode, an inference server, the
Model Registry (assignment 10).

Everything is local: a training "job" is a Python process started in a temporary folder laid out
like /opt/ml, and an "endpoint" is a process listening on the loopback interface.
"""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import numpy as np


def delivery_rows(n: int = 240, n_features: int = 3, noise: float = 0.5,
                  seed: int = 1001) -> tuple[np.ndarray, np.ndarray]:
    """Rows of a linear regression problem: features and a delivery time in minutes.

    The target is 30 + X @ w + noise with fixed weights, so a ridge model recovers them closely.
    """
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(n, n_features)), 4)
    weights = np.linspace(4.0, -2.0, n_features)
    y = np.round(30.0 + X @ weights + rng.normal(scale=noise, size=n), 4)
    return X, y


def write_csv(path: str, X: np.ndarray, y: np.ndarray | None = None) -> str:
    """Write rows as CSV without a header, the label (if any) in the first column."""
    table = np.asarray(X, dtype=float) if y is None else np.column_stack([y, X])
    np.savetxt(path, table, delimiter=",", fmt="%.6g")
    return path


def job_environment(root: str, hyperparameters: dict | None = None, *, channel: str = "train",
                    use_sm_variables: bool = True) -> dict:
    """Environment for a local "training job" whose /opt/ml is ``root``.

    With ``use_sm_variables`` the SM_* variables are set (as the SageMaker training toolkit does);
    without them only ML_PREFIX is set and the script must find everything under it.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("SM_")}
    env["ML_PREFIX"] = root
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if use_sm_variables:
        env["SM_MODEL_DIR"] = os.path.join(root, "model")
        env[f"SM_CHANNEL_{channel.upper()}"] = os.path.join(root, "input", "data", channel)
        env["SM_OUTPUT_DATA_DIR"] = os.path.join(root, "output", "data")
        if hyperparameters is not None:
            env["SM_HPS"] = json.dumps(hyperparameters)
    return env


def make_job_tree(root: str, X=None, y=None, hyperparameters: dict | None = None, *,
                  channel: str = "train", files: int = 1, content_types: dict | None = None) -> str:
    """Lay out ``root`` like /opt/ml: input/config/hyperparameters.json,
    input/config/inputdataconfig.json, input/data/<channel>/*.csv, model/, output/data/.

    ``content_types`` maps each channel named in inputdataconfig.json to its ContentType (None:
    the entry has no ContentType, as when the request gave none); by default the one channel is
    ``text/csv``. Returns ``root``."""
    for sub in ("input/config", "model", "output/data"):
        os.makedirs(os.path.join(root, sub), exist_ok=True)
    with open(os.path.join(root, "input", "config", "hyperparameters.json"), "w") as fh:
        json.dump(hyperparameters or {}, fh)
    with open(os.path.join(root, "input", "config", "inputdataconfig.json"), "w") as fh:
        json.dump(input_data_config({channel: "text/csv"} if content_types is None else content_types), fh)
    if X is not None:
        folder = os.path.join(root, "input", "data", channel)
        os.makedirs(folder, exist_ok=True)
        parts = np.array_split(np.arange(len(X)), files)
        for i, rows in enumerate(parts):
            write_csv(os.path.join(folder, f"part-{i:03d}.csv"), np.asarray(X)[rows], np.asarray(y)[rows])
    return root


def input_data_config(content_types: dict) -> dict:
    """What SageMaker writes to /opt/ml/input/config/inputdataconfig.json: one entry per channel,
    with the channel's ContentType when the request gave one."""
    config = {}
    for channel, content_type in content_types.items():
        entry = {"TrainingInputMode": "File", "S3DistributionType": "FullyReplicated", "RecordWrapperType": "None"}
        if content_type is not None:
            entry = {"ContentType": content_type, **entry}
        config[channel] = entry
    return config


def run_script(script: str, env: dict, timeout: float = 20.0) -> subprocess.CompletedProcess:
    """Run ``script`` with this Python, in its own folder, with a timeout."""
    script = os.path.abspath(script)
    return subprocess.run([sys.executable, script], env=env, cwd=os.path.dirname(script),
                          capture_output=True, text=True, timeout=timeout)


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (bind to port 0 and read what the system chose)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, method: str, path: str, body: bytes | str | None = None,
            content_type: str | None = None, timeout: float = 10.0) -> tuple[int, str, bytes]:
    """One HTTP request to 127.0.0.1:port: (status, Content-Type, body bytes)."""
    if isinstance(body, str):
        body = body.encode()
    headers = {"Content-Type": content_type} if content_type else {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        conn.close()


class Server:
    """``serve.py`` started as a process on a free loopback port; use as a context manager.

    Entering polls GET /ping until it answers 200 (or the deadline passes, then AssertionError);
    with ``healthy=False`` any HTTP answer to /ping will do (for a server that is up but not
    ready, such as one without a model). Leaving always stops the process.
    """

    def __init__(self, script: str, model_dir: str, deadline: float = 15.0, port: int | None = None,
                 healthy: bool = True):
        self.script, self.model_dir, self.deadline = os.path.abspath(script), model_dir, deadline
        self.healthy = healthy
        self.port = port or free_port()
        self.process = None

    def __enter__(self) -> "Server":
        env = {k: v for k, v in os.environ.items() if not k.startswith("SM_")}
        env.update(SM_MODEL_DIR=self.model_dir, SAGEMAKER_BIND_TO_PORT=str(self.port),
                   PYTHONDONTWRITEBYTECODE="1")
        self.process = subprocess.Popen([sys.executable, self.script], env=env, cwd=os.path.dirname(self.script),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stop = time.monotonic() + self.deadline
        while time.monotonic() < stop:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode(errors="replace")[-600:]
                self.__exit__(None, None, None)
                raise AssertionError(f"serve.py exited with code {self.process.returncode} before "
                                     f"answering /ping:\n{error}")
            try:
                if request(self.port, "GET", "/ping", timeout=1.0)[0] == 200 or not self.healthy:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        self.__exit__(None, None, None)
        raise AssertionError(f"serve.py did not answer GET /ping with 200 on port {self.port} "
                             f"within {self.deadline:.0f} s (does it read SAGEMAKER_BIND_TO_PORT?)")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


def write_model(model_dir: str, coef, intercept: float) -> str:
    """Write a model.json as train.py does (for testing serve.py on its own)."""
    os.makedirs(model_dir, exist_ok=True)
    coef = [float(c) for c in coef]
    with open(os.path.join(model_dir, "model.json"), "w") as fh:
        json.dump({"coef": coef, "intercept": float(intercept), "n_features": len(coef)}, fh)
    return model_dir


def model_package(group: str, version: int, status: str, *, rmse: float = 5.0,
                  created: datetime | None = None, data_sha256: str = "0" * 64,
                  git_commit: str = "a1b2c3d", hyperparameters: dict | None = None) -> dict:
    """A record shaped like DescribeModelPackage output (the members the lab uses)."""
    created = created or datetime(2026, 11, 1, tzinfo=timezone.utc) + timedelta(days=version)
    return {
        "ModelPackageGroupName": group,
        "ModelPackageVersion": int(version),
        "ModelPackageArn": f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{group}/{version}",
        "ModelApprovalStatus": status,
        "ModelPackageStatus": "Completed",
        "CreationTime": created,
        "ModelMetrics": {"ModelQuality": {"Statistics": {
            "ContentType": "application/json",
            "S3Uri": f"s3://ml-registry-demo/{group}/{version}/statistics.json"}}},
        "CustomerMetadataProperties": {"validation_rmse": f"{rmse:.3f}", "data_sha256": data_sha256,
                                       "git_commit": git_commit,
                                       "hyperparameters": json.dumps(hyperparameters or {"alpha": "1.0"})},
    }


def delivery_registry() -> list[dict]:
    """Six versions of the model package group ``delivery-time``, listed newest first."""
    statuses = ["PendingManualApproval", "Rejected", "Approved", "Rejected", "Rejected", "Approved"]
    rmses = [4.1, 6.0, 4.4, 4.9, 7.2, 4.2]
    records = [model_package("delivery-time", v, s, rmse=r, data_sha256=f"{v:02d}" * 32,
                             git_commit=f"c0ffee{v}", hyperparameters={"alpha": str(0.5 * v)})
               for v, s, r in zip(range(6, 0, -1), statuses, rmses)]
    return records
