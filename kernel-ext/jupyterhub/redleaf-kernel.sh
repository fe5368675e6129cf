#!/usr/bin/env bash
# kernel-ext/jupyterhub/redleaf-kernel.sh CONNECTION_FILE: starts the RedLeaf kernel (dotnet-interactive
# 1.0.712001, C# by default, HTTP on localhost only) for one student on the course's JupyterHub; the
# kernelspecs in share/kernels run it. It runs as the student, with the environment the hub's
# Spawner.environment gave the student's server (jupyterhub_config.py): the repository and its feed are
# shared and read-only, and the folders written here are the student's own (mode 700). A notebook loads
# the extension with `#r "nuget: RedLeaf.Interactive, 0.1.0"`, restored from the repository's feed into
# the student's NUGET_PACKAGES; a rebuild of the extension keeps its version, so an unpacked copy older
# than the feed's package is removed here and restored again.
set -euo pipefail
die() { echo "redleaf-kernel: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: $0 CONNECTION_FILE"
: "${REDLEAF_ROOT:?the hub did not set REDLEAF_ROOT (start it with kernel-ext/jupyterhub/jupyterhub_config.py)}"
: "${NUGET_PACKAGES:?the hub did not set NUGET_PACKAGES}"
: "${REDLEAF_KEY_DIR:?the hub did not set REDLEAF_KEY_DIR}"
: "${REDLEAF_CACHE_DIR:?the hub did not set REDLEAF_CACHE_DIR}"

tool="$REDLEAF_ROOT/.tools/dotnet-interactive"
package="$REDLEAF_ROOT/artifacts/feed/RedLeaf.Interactive.0.1.0.nupkg"
[ -x "$tool" ] || die "$tool is missing or not executable for $(id -un): run $REDLEAF_ROOT/.ci/setup"
[ -r "$package" ] || die "$package is missing or not readable for $(id -un): build the repository (./redleaf)"

umask 077
mkdir -p "$NUGET_PACKAGES" "$REDLEAF_KEY_DIR" "$REDLEAF_CACHE_DIR" "${TMPDIR:-/tmp}"
unpacked="$NUGET_PACKAGES/redleaf.interactive/0.1.0"
if [ -d "$unpacked" ] && [ "$package" -nt "$unpacked/.nupkg.metadata" ]; then
  rm -rf "$unpacked"
fi

exec "$tool" jupyter --default-kernel csharp --http-local-only "$1"
