#!/usr/bin/env bash
# Makes sure /dev/null is the null device. Some containers (CI's among them) start with, or end
# up with, /dev/null as a plain file: every `2>/dev/null` then writes into it and every reader
# (rustc's `-` probes under cargo, programs started with stdin from /dev/null) reads that junk
# back, which fails cargo with errors quoting other programs' output. Recreated when we can
# (root), otherwise a loud warning. Sourced or run; never fails the caller.
if [ ! -c /dev/null ]; then
    if [ "$(id -u)" = 0 ] && rm -f /dev/null && mknod -m 666 /dev/null c 1 3; then
        echo "setup: /dev/null was not the null device; recreated it" >&2
    else
        echo "setup: warning: /dev/null is not the null device and could not be recreated" >&2
    fi
fi
