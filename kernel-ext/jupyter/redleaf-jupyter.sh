#!/usr/bin/env bash
# kernel-ext/jupyter/redleaf-jupyter.sh: RedLeaf.NET notebooks in real Jupyter.
#   redleaf-jupyter.sh install                        Debian's Jupyter packages, the dotnet-interactive
#                                                     tool (into .tools/), and a kernelspec "redleaf-csharp"
#                                                     (into .tools/jupyter/, nothing global changes)
#   redleaf-jupyter.sh execute NOTEBOOK OUT [SECONDS] run NOTEBOOK with `jupyter nbconvert --execute` on
#                                                     that kernel; write the executed notebook to OUT
#   redleaf-jupyter.sh env                            print the JUPYTER_PATH to export for `jupyter notebook`
# The kernel is dotnet-interactive 1.0.712001 with C# as default; a notebook anywhere on disk loads the
# extension with one line, `#r "nuget: RedLeaf.Interactive, 0.1.0"`: the kernelspec points NuGet at the
# build's local feed (artifacts/feed, RestoreAdditionalProjectSources) and a package folder of the
# repository's own (.tools/nuget-packages, which every rebuild of the extension clears of its old copy).
# Set REDLEAF_QUICK=1 to shrink the notebooks' measurements.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tools="$root/.tools"
spec_dir="$tools/jupyter/kernels/redleaf-csharp"

die() { echo "redleaf-jupyter: $*" >&2; exit 1; }

check_jupyter() {
  /usr/bin/python3 -c "import nbconvert, nbclient, ipykernel" 2>/dev/null ||
    die "Jupyter is missing: install the Debian packages jupyter-nbconvert python3-nbconvert jupyter-client python3-nbclient python3-ipykernel jupyter-core (or run '$0 install')"
  [ -x "$tools/dotnet-interactive" ] ||
    die "the dotnet-interactive tool is missing: dotnet tool install Microsoft.dotnet-interactive --version 1.0.712001 --tool-path $tools (or run '$0 install')"
  [ -f "$root/artifacts/feed/RedLeaf.Interactive.0.1.0.nupkg" ] ||
    die "the extension is not built (no package in $root/artifacts/feed): run $root/redleaf once, or dotnet build $root/kernel-ext/RedLeaf.Interactive"
}

write_kernelspec() {
  mkdir -p "$spec_dir"
  local dotnet_root
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  cat > "$spec_dir/kernel.json" <<JSON
{
  "argv": ["$tools/dotnet-interactive", "jupyter", "--default-kernel", "csharp", "--http-local-only", "{connection_file}"],
  "display_name": "RedLeaf.NET (C#)",
  "language": "C#",
  "env": { "DOTNET_ROOT": "$dotnet_root", "REDLEAF_ROOT": "$root", "RestoreAdditionalProjectSources": "$root/artifacts/feed", "NUGET_PACKAGES": "$tools/nuget-packages", "DOTNET_CLI_TELEMETRY_OPTOUT": "1", "DOTNET_NOLOGO": "1" }
}
JSON
}

case "${1:-}" in
  install)
    if ! /usr/bin/python3 -c "import nbconvert, nbclient, ipykernel" 2>/dev/null; then
      if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        jupyter-nbconvert python3-nbconvert jupyter-client python3-nbclient python3-ipykernel jupyter-core >/dev/null
    fi
    [ -x "$tools/dotnet-interactive" ] || dotnet tool install Microsoft.dotnet-interactive --version 1.0.712001 --tool-path "$tools" >/dev/null
    write_kernelspec
    echo "redleaf-jupyter: kernel 'redleaf-csharp' in $tools/jupyter (export JUPYTER_PATH=$tools/jupyter)"
    ;;
  execute)
    [ $# -ge 3 ] || die "usage: $0 execute NOTEBOOK OUT [SECONDS]"
    notebook="$2"; out="$3"; timeout="${4:-600}"
    [ -f "$notebook" ] || die "no notebook at $notebook"
    check_jupyter
    write_kernelspec
    mkdir -p "$(dirname "$out")"
    out_dir="$(cd "$(dirname "$out")" && pwd)"
    JUPYTER_PATH="$tools/jupyter" /usr/bin/python3 -m nbconvert --to notebook --execute \
      --ExecutePreprocessor.kernel_name=redleaf-csharp --ExecutePreprocessor.timeout="$timeout" \
      --output-dir "$out_dir" --output "$(basename "$out")" "$notebook"
    ;;
  env)
    echo "export JUPYTER_PATH=$tools/jupyter"
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    [ -n "${1:-}" ] && exit 2 || exit 0
    ;;
esac
