# SPDX-License-Identifier: MIT
"""What the Python host tests share: one "ok - NAME" or "not ok - NAME:
DETAIL" line per check, the lines tests/host/run.sh counts, and an exit
status that says whether any failed."""
import sys

failed = 0


def check(ok, name, detail=""):
    global failed
    print(("ok - " if ok else "not ok - ") + name
          + ("" if ok or not detail else f": {detail}"))
    sys.stdout.flush()
    failed += not ok


def done():
    sys.exit(1 if failed else 0)
