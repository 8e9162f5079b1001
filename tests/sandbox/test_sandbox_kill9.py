"""No acknowledged write is lost when the store is killed with SIGKILL (``--state``).

Writers post brands concurrently; every name answered 201 is an acknowledged write. The store is
killed mid-stream with ``kill -9``, restarted on the same file, and every acknowledged brand must be
there. A few trials by default; ``BIGCOMMERCE_SANDBOX_KILL_TRIALS=40`` runs more.
"""

from __future__ import annotations

import os
import signal
import threading

import requests
from test_sandbox_process import start_cli

from bigcommerce.sandbox import Sandbox

TRIALS = int(os.environ.get("BIGCOMMERCE_SANDBOX_KILL_TRIALS", "3"))
WRITERS = 4
ACKS_BEFORE_KILL = 40


def _trial(path: str, trial: int) -> tuple:
    proc, fields = start_cli("--state", path, "--rate-limit", "none")
    root = "{}/stores/{}/v2".format(fields["url"], fields["store_hash"])
    acknowledged, lock, enough = [], threading.Lock(), threading.Event()

    def writer(number: int) -> None:
        session = requests.Session()
        session.headers["X-Auth-Token"] = fields["access_token"]
        for sent in range(1000):  # bounded: the kill comes long before
            name = f"t{trial}-w{number}-{sent}"
            try:
                r = session.post(root + "/brands", json={"name": name}, timeout=10)
            except requests.RequestException:
                return  # the store is gone
            if r.status_code == 201:
                with lock:
                    acknowledged.append(name)
                    if len(acknowledged) >= ACKS_BEFORE_KILL:
                        enough.set()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    enough.wait(60)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    for thread in threads:
        thread.join(30)
    proc.stdout.close()
    proc.stderr.close()
    with lock:
        acked = list(acknowledged)
    with Sandbox(state=path) as store:
        kept = {brand["name"] for brand in store.state()["brands"].values()}
    return len(acked), [name for name in acked if name not in kept]


def test_no_acknowledged_write_is_lost_after_kill_9(tmp_path, capsys):
    path = str(tmp_path / "store.json")
    total, lost = 0, []
    for trial in range(TRIALS):
        acked, missing = _trial(path, trial)
        total += acked
        lost.extend(missing)
    with capsys.disabled():
        print(f"\nkill -9: {len(lost)} of {total} acknowledged writes lost over {TRIALS} trials")
    assert total >= TRIALS * ACKS_BEFORE_KILL
    assert lost == []
