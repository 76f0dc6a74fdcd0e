# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#
# Runs as root from guard.sh: checks the uploaded agent package, installs it with apt-get (which
# fetches its dependencies), writes the settings unless the host already has its own, and starts the
# agent. Tells the console one line per step: "step NAME [DETAIL...]", "error WHAT [DETAIL]",
# "log LINE" (the end of apt's or the agent's log after an error), "done VERSION MANAGER".
set -u
staging=$1
expected=$2
package="$staging/streamswarm-agent.deb"
settings=/etc/streamswarm/agent.conf
service=streamswarm-agent
exec </dev/null
# From here on a lost connection must not stop dpkg halfway: the install goes on, unheard.
trap '' HUP PIPE

say() { printf '%s\n' "$*" 2>/dev/null || true; }
tell_log() {
    [ -s "$1" ] || return 0
    tail -n 15 "$1" | while IFS= read -r line; do say "log $line"; done
}
fail() {
    say "error $*"
    tell_log "$staging/output.log"
    exit 1
}
running() {
    if [ -d /run/systemd/system ]; then
        systemctl is-active --quiet "$service"
    else
        "/etc/init.d/$service" status >/dev/null 2>&1
    fi
}

actual=$(sha256sum "$package" 2>/dev/null | cut -d' ' -f1)
[ "$actual" = "$expected" ] || fail damaged
package_architecture=$(dpkg-deb -f "$package" Architecture 2>/dev/null) || fail not-a-package
host_architecture=$(dpkg --print-architecture)
if [ "$package_architecture" != all ] && [ "$package_architecture" != "$host_architecture" ]; then
    fail architecture "$package_architecture $host_architecture"
fi
version=$(dpkg-deb -f "$package" Version)
previous=$(dpkg-query -W -f '${Version}' streamswarm-agent 2>/dev/null || true)
configured=no
grep -Eq '^[[:space:]]*server[[:space:]]*=' "$settings" 2>/dev/null && configured=yes

say "step installing $version $previous"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >"$staging/output.log" 2>&1 || say "step update-failed"
# As "apt install ./file.deb" by hand would, with what the agent recommends (libcap2-bin: the ping
# permission where systemd does not give it). --reinstall: deploying the same version again repairs
# it; confold keeps settings the host changed.
apt-get install -y -q --reinstall -o DPkg::Lock::Timeout=120 \
    -o Dpkg::Options::=--force-confold "$package" >>"$staging/output.log" 2>&1 || fail install

if [ "$configured" = yes ]; then
    # The agent's name as its settings give it (quotes taken off), else the host's own.
    name=$(sed -n 's/^[[:space:]]*name[[:space:]]*=[[:space:]]*//p' "$settings" | tail -n 1 |
        sed 's/[[:space:]]*$//; s/^"\(.*\)"$/\1/')
    say "step settings-kept ${name:-$(hostname)}"
else
    install -m 0640 -o root -g streamswarm "$staging/agent.conf" "$settings" || fail settings
    say "step settings-written"
fi

if [ -d /run/systemd/system ]; then
    manager=systemd
    systemctl enable "$service" >/dev/null 2>&1 || true
    running || systemctl start "$service" >"$staging/output.log" 2>&1 || fail start
else
    manager=init-script
    running || "/etc/init.d/$service" start >"$staging/output.log" 2>&1 || fail start
fi
# An agent that cannot use its settings stops at once: say so here, with its own words.
sleep 1
if ! running; then
    say "error stopped"
    if [ "$manager" = systemd ]; then
        journalctl -u "$service" -n 15 --no-pager 2>/dev/null | while IFS= read -r line; do say "log $line"; done
    else
        tell_log /var/log/streamswarm-agent.log
    fi
    exit 1
fi
say "done $version $manager"
