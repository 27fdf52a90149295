# SPDX-License-Identifier: MIT
"""Stands in for libguestfs's Python binding, which lava_dispatcher imports
at start (lava_dispatcher/utils/filesystem.py) and uses only to write a
test-shell overlay into a disk image. vamap's jobs have no test shell and
deploy no overlay; a job that asks for one fails here, saying why."""


class GuestFS:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("libguestfs is not installed (tools/fetch-lava.sh): "
                           "vamap's LAVA jobs deploy no test-shell overlay")
