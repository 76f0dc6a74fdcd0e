# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#
# Runs as the login user before anything is copied: who we are, whether this is a Debian host, and
# whether sudo works without a password. One "name value" line each.
echo "uid $(id -u)"
echo "hostname $(hostname)"
if command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    echo "architecture $(dpkg --print-architecture)"
fi
if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "sudo missing"
    elif sudo -n true >/dev/null 2>&1; then
        echo "sudo no-password"
    else
        echo "sudo password"
    fi
fi
