"""Shared reporting for the Python client checks: `ok <what>` / `FAIL <what>: detail` lines.

A check is a function; it passes when it returns, and fails with the message of any exception.
Every check runs even when an earlier one failed; the script exits 1 if any failed.
"""
import hashlib
import os
import sys
import time
import traceback

_failures = []


def check(what):
    """Decorator: run the function now as a named check."""
    def run(fn):
        started = time.monotonic()
        try:
            fn()
        except Exception as e:  # a failed check is reported, the next one still runs
            detail = f"{type(e).__name__}: {e}".replace("\n", " | ")
            print(f"FAIL {what}: {detail}", flush=True)
            traceback.print_exc(file=sys.stdout)
            _failures.append(what)
        else:
            print(f"ok {what} ({time.monotonic() - started:.1f} s)", flush=True)
        return fn
    return run


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def wait_until(probe, what, timeout=60.0):
    """Polls probe() until it returns a truthy value (returned); raises after timeout seconds."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    last = None
    while True:
        try:
            value = probe()
            if value:
                return value
        except Exception as e:  # the broker may answer a retriable error while a topic is created
            last = e
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}" + (f" (last error: {last})" if last else ""))
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def expect_contiguous(offsets, start, what):
    """Offsets of one partition read from `start`: the broker assigns them without gaps."""
    expected = list(range(start, start + len(offsets)))
    expect(offsets == expected, f"{what}: offsets not contiguous from {start}: first differences "
           f"{[(i, a, b) for i, (a, b) in enumerate(zip(offsets, expected)) if a != b][:5]}")


def expect_same_set(received, sent, what):
    """Every sent record was received (duplicates from client retries are allowed)."""
    missing = set(sent) - set(received)
    unexpected = set(received) - set(sent)
    expect(not missing and not unexpected,
           f"{what}: {len(missing)} missing (e.g. {sorted(missing)[:3]}), {len(unexpected)} unexpected (e.g. {sorted(unexpected)[:3]})")
    expect(len(received) >= len(sent), f"{what}: received {len(received)} < sent {len(sent)}")


def big_value(size=900 * 1024):
    """A ~900 KB value that does not compress to nothing."""
    return os.urandom(size)


def digest(b):
    return hashlib.sha256(b).hexdigest()[:16] if b is not None else None


def past_timestamps(n, step_ms=1000):
    """n increasing CreateTime timestamps an hour ago (inside any retention)."""
    base = (int(time.time() * 1000) - 3_600_000) // 1000 * 1000
    return [base + i * step_ms for i in range(n)]


def finish(client):
    if _failures:
        print(f"{client}: {len(_failures)} check(s) FAILED: {', '.join(_failures)}", flush=True)
        sys.exit(1)
    print(f"{client}: all checks passed", flush=True)
    sys.exit(0)


def args():
    if len(sys.argv) != 3:
        print(f"usage: {sys.argv[0]} BOOTSTRAP TOPIC_PREFIX", file=sys.stderr)
        sys.exit(2)
    return sys.argv[1], sys.argv[2]
