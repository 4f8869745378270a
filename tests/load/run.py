"""One step of `make load`: N simulated people for S seconds, measured after all
have signed in (sign-in hashes a password: it is reported apart, not mixed into
the working-day figures). Prints one JSON object. Usage:
``python tests/load/run.py --users N --seconds S --host URL``."""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from locust.env import Environment  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
import locustfile  # noqa: E402


def _figures(entry, seconds: float) -> dict:
    return {
        "requests": entry.num_requests,
        "errors": entry.num_failures,
        "rps": round(entry.num_requests / seconds, 1),
        "p50_ms": round(entry.get_response_time_percentile(0.50) or 0),
        "p95_ms": round(entry.get_response_time_percentile(0.95) or 0),
        "p99_ms": round(entry.get_response_time_percentile(0.99) or 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--seconds", type=int, required=True)
    parser.add_argument("--host", required=True)
    args = parser.parse_args()
    env = Environment(user_classes=[locustfile.Member], host=args.host)
    runner = env.create_local_runner()
    runner.start(args.users, spawn_rate=args.users)
    started = time.monotonic()
    while args.users > locustfile.READY and time.monotonic() - started < 300:
        gevent.sleep(0.2)
    sign_in = _figures(env.stats.total, max(time.monotonic() - started, 0.001))
    env.stats.reset_all()
    measured = time.monotonic()
    gevent.sleep(args.seconds)
    elapsed = time.monotonic() - measured
    runner.quit()
    result = {
        "users": args.users,
        "signed_in": locustfile.READY,
        "sign_in": sign_in,
        **_figures(env.stats.total, elapsed),
        "by_request": {
            name: _figures(entry, elapsed)
            for (name, _method), entry in sorted(env.stats.entries.items())
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
