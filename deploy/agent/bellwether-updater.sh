#!/usr/bin/env bash
# An example agent-side updater for pull-based installs: it heartbeats the Bellwether controller
# with the version installed, and when told another version it downloads the artifact, verifies
# its sha256, installs it beside the others, switches the `current` link atomically and restarts
# the agent. The next heartbeat reports the new version, which is how the controller sees the
# cohort converge. A failed download or checksum installs nothing and is retried next time.
#
# Settings (environment):
#   BELLWETHER_SERVER       the controller, such as https://bellwether.example.com:7070 (required)
#   BELLWETHER_AGENT_TOKEN  the agent token (required)
#   AGENT_ID                this agent's id, as its telemetry's service.instance.id (default: hostname)
#   AGENT_LABELS            labels as a JSON object (default: {})
#   INSTALL_ROOT            where versions live: $INSTALL_ROOT/versions/<v>, $INSTALL_ROOT/current (default /opt/agent)
#   RESTART_COMMAND         how to restart the agent (default: systemctl restart agent.service)
# Usage: bellwether-updater.sh [--once]   (--once: one heartbeat and at most one install, for cron/timers)
# Needs: bash, curl, jq, sha256sum, tar.
set -euo pipefail

: "${BELLWETHER_SERVER:?set BELLWETHER_SERVER to the controller URL}"
: "${BELLWETHER_AGENT_TOKEN:?set BELLWETHER_AGENT_TOKEN}"
AGENT_ID=${AGENT_ID:-$(hostname)}
AGENT_LABELS=${AGENT_LABELS:-"{}"}
INSTALL_ROOT=${INSTALL_ROOT:-/opt/agent}
RESTART_COMMAND=${RESTART_COMMAND:-"systemctl restart agent.service"}
once=false
[ "${1:-}" = "--once" ] && once=true

log() { printf '%s bellwether-updater: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }

installed_version() {
    cat "$INSTALL_ROOT/current/VERSION" 2>/dev/null || echo "unknown"
}

# One heartbeat; prints the controller's answer (JSON).
heartbeat() {
    local body
    body=$(jq -cn --arg id "$AGENT_ID" --arg version "$(installed_version)" --argjson labels "$AGENT_LABELS" \
        '{id: $id, version: $version, labels: $labels}')
    curl --fail-with-body --silent --show-error --max-time 10 \
        -H "Authorization: Bearer $BELLWETHER_AGENT_TOKEN" -H "Content-Type: application/json" \
        --data "$body" "$BELLWETHER_SERVER/api/v1/agents/heartbeat"
}

# Downloads, verifies and installs `version` from `url` with `sha256`; switches `current` to it.
install_version() {
    local version=$1 url=$2 sha256=$3
    case $version in */* | .* | "") log "refusing version name '$version'"; return 1 ;; esac
    local work
    work=$(mktemp -d)
    trap 'rm -rf "$work"' RETURN
    log "downloading $version from $url"
    curl --fail --silent --show-error --location --max-time 600 -o "$work/artifact" "$url"
    if ! printf '%s  %s\n' "$sha256" "$work/artifact" | sha256sum --check --status; then
        log "sha256 of $url is $(sha256sum "$work/artifact" | cut -d' ' -f1), expected $sha256: not installing"
        return 1
    fi
    local target="$INSTALL_ROOT/versions/$version"
    rm -rf "$target.partial"
    mkdir -p "$target.partial"
    tar -xzf "$work/artifact" -C "$target.partial"
    printf '%s\n' "$version" > "$target.partial/VERSION"
    rm -rf "$target"
    mv "$target.partial" "$target"
    ln -sfn "versions/$version" "$INSTALL_ROOT/current.new"
    mv -T "$INSTALL_ROOT/current.new" "$INSTALL_ROOT/current"
    log "installed $version; restarting the agent"
    sh -c "$RESTART_COMMAND"
}

while true; do
    interval=15
    if reply=$(heartbeat); then
        desired=$(jq -r '.desiredVersion' <<<"$reply")
        interval=$(jq -r '.heartbeatSeconds // 15' <<<"$reply")
        if [ "$desired" != "$(installed_version)" ]; then
            url=$(jq -r '.artifact.url // empty' <<<"$reply")
            sha256=$(jq -r '.artifact.sha256 // empty' <<<"$reply")
            if [ -z "$url" ] || [ -z "$sha256" ]; then
                log "told to run $desired, but the rollout names no artifact (url and sha256): nothing to install"
            elif ! install_version "$desired" "$url" "$sha256"; then
                log "installing $desired failed; staying on $(installed_version)"
                $once && exit 1
            fi
        fi
    else
        log "heartbeat to $BELLWETHER_SERVER failed; retrying"
        $once && exit 1
    fi
    $once && exit 0
    sleep "$interval"
done
