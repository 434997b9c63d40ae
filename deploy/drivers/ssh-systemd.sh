#!/usr/bin/env bash
# Bellwether's example exec deploy driver: installs one version of an agent on one host over SSH
# and restarts its systemd unit. Bellwether runs it (no shell in between) as
#
#   deploy/drivers/ssh-systemd.sh {agent} {version} {url} {sha256}
#
# when the agent's desired version changes; a non-zero exit is retried with backoff, and whether
# the deploy worked is judged by the version the agent reports afterwards, not by this exit code.
#
# Settings (environment of `bellwether serve`):
#   BELLWETHER_SSH_HOST       host to reach, with {agent} replaced by the agent id (default: {agent})
#   BELLWETHER_SSH_USER       remote user (default: the ssh configuration's)
#   BELLWETHER_SYSTEMD_UNIT   unit to restart (default: agent.service)
#   BELLWETHER_INSTALL_DIR    where versions are unpacked; `current` links to the running one
#                             (default: /opt/agent)
#   BELLWETHER_DRY_RUN=1      print the remote script and the ssh command instead of running them
set -euo pipefail

die() {
    printf 'ssh-systemd.sh: %s\n' "$*" >&2
    exit 2
}

[ "$#" -eq 4 ] || die "usage: ssh-systemd.sh AGENT VERSION URL SHA256 (got $# arguments)"
agent=$1
version=$2
url=$3
sha256=$4

# Everything that reaches the remote shell is checked first and quoted again with printf %q.
[[ $agent =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "agent id '$agent' is not a host-like name"
[[ $version =~ ^[A-Za-z0-9][A-Za-z0-9._+-]*$ ]] || die "version '$version' has characters a version does not"
[[ $url =~ ^https?://[^[:space:]]+$ ]] || die "artifact URL '$url' is not an http(s) URL (start the rollout with --artifact-url)"
[[ $sha256 =~ ^[0-9a-f]{64}$ ]] || die "sha256 '$sha256' is not 64 lower-case hex digits (start the rollout with --sha256)"

host_template=${BELLWETHER_SSH_HOST:-"{agent}"}
host=${host_template//\{agent\}/$agent}
unit=${BELLWETHER_SYSTEMD_UNIT:-agent.service}
install_dir=${BELLWETHER_INSTALL_DIR:-/opt/agent}
target=$host
if [ -n "${BELLWETHER_SSH_USER:-}" ]; then
    target=$BELLWETHER_SSH_USER@$host
fi

# Runs on the agent's host: download, verify, unpack beside the other versions, switch the
# `current` link atomically, restart, and fail if the unit does not come back.
read -r -d '' remote <<'REMOTE' || true
set -euo pipefail
version=$1 url=$2 sha256=$3 unit=$4 install_dir=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl --fail --silent --show-error --location --output "$work/artifact" -- "$url"
echo "$sha256  $work/artifact" | sha256sum --check --quiet -
mkdir -p "$install_dir/$version"
tar -xzf "$work/artifact" -C "$install_dir/$version"
ln -sfn "$install_dir/$version" "$install_dir/current.new"
mv -T "$install_dir/current.new" "$install_dir/current"
systemctl restart -- "$unit"
systemctl is-active --quiet -- "$unit"
echo "installed $version and restarted $unit"
REMOTE

remote_command="bash -s --"
for argument in "$version" "$url" "$sha256" "$unit" "$install_dir"; do
    remote_command+=" $(printf '%q' "$argument")"
done

if [ "${BELLWETHER_DRY_RUN:-}" = 1 ]; then
    printf 'ssh -o BatchMode=yes -- %q %s\n' "$target" "$remote_command"
    exit 0
fi
echo "deploying $version to $agent ($target)"
ssh -o BatchMode=yes -o ConnectTimeout=10 -- "$target" "$remote_command" <<<"$remote"
