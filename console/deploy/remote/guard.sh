# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#
# Runs as the login user for the whole deployment. Makes a private folder for the upload, says where,
# then waits for one line: "install SHA256 HOW" (HOW: root, sudo or sudo-password, whose password
# follows on the next line, read by sudo). Anything else, or a lost connection (the input ends),
# removes the folder and what was copied into it, so nothing is left half done.
set -u
staging=$(mktemp -d "${TMPDIR:-/tmp}/streamswarm-deploy.XXXXXXXX") || {
    echo "error staging"
    exit 1
}
trap 'rm -rf "$staging"' EXIT
trap 'exit 1' HUP INT TERM
echo "staging $staging"
IFS=' ' read -r verb checksum how || exit 1
[ "$verb" = install ] || exit 1
case "$how" in
    root) sh "$staging/install.sh" "$staging" "$checksum" ;;
    sudo) sudo -n sh "$staging/install.sh" "$staging" "$checksum" ;;
    sudo-password) sudo -S -p '' sh "$staging/install.sh" "$staging" "$checksum" ;;
    *) exit 1 ;;
esac
