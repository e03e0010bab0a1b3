#!/usr/bin/env bash
# Installs a built Handout into PREFIX in a layout that works from any folder and after the source
# tree is gone:
#   PREFIX/bin/handout
#   PREFIX/lib/handout/libHandoutRuntime.so        what notebook programs link
#   PREFIX/lib/handout/Modules/{Neural,RCompat,Plot,HandoutKit}.swiftmodule …
#   PREFIX/lib/handout/CCairo/module.modulemap      Cairo's module map, which clients of Plot need
#   PREFIX/share/handout/templates/                 the built-in templates and stylesheet
# `handout` finds the runtime at ../lib/handout and the templates at ../share/handout/templates,
# both relative to its own (symlink-resolved) path.
#
# Usage: scripts/install.sh BUILD_DIR PREFIX     (BUILD_DIR: .build-release/release, .build/debug)
#        scripts/install.sh --uninstall PREFIX
set -euo pipefail

if [ "${1:-}" = "--uninstall" ]; then
  prefix=${2:?usage: install.sh --uninstall PREFIX}
  rm -f "$prefix/bin/handout"
  rm -rf "$prefix/lib/handout" "$prefix/share/handout"
  echo "removed Handout from $prefix"
  exit 0
fi

build=${1:?usage: install.sh BUILD_DIR PREFIX}
prefix=${2:?usage: install.sh BUILD_DIR PREFIX}
src=$(cd "$(dirname "$0")/.." && pwd)

for f in handout libHandoutRuntime.so Modules/HandoutKit.swiftmodule; do
  [ -e "$build/$f" ] || { echo "install.sh: $build/$f is missing; build first (make release)" >&2; exit 1; }
done

lib="$prefix/lib/handout"
# Into a fresh folder beside the old one, then swapped, so a failed copy leaves the old install.
stage=$(mktemp -d "${TMPDIR:-/tmp}/handout-install.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib/Modules" "$stage/lib/CCairo" "$stage/templates"
cp "$build/libHandoutRuntime.so" "$stage/lib/"
# SwiftCSV: HandoutKit imports it internally, but a client of a non-resilient module still loads it.
for m in Neural RCompat Plot HandoutKit HandoutProtocol SwiftCSV; do
  for f in "$build/Modules/$m".swift*; do
    [ -e "$f" ] && cp -R "$f" "$stage/lib/Modules/"
  done
done
cp "$src/Sources/CCairo/module.modulemap" "$src/Sources/CCairo/shim.h" "$stage/lib/CCairo/"
cp "$src"/templates/* "$stage/templates/"

# One line naming the folder and why (a file in the way, a read-only or unwritable folder), not
# mkdir's complaint once per folder.
if ! made=$(mkdir -p "$prefix/bin" "$prefix/lib" "$prefix/share/handout" 2>&1); then
  echo "install.sh: cannot install into $prefix: ${made%%$'\n'*}; choose a PREFIX you can write (make install PREFIX=\$HOME/.local)" >&2
  exit 1
fi
rm -rf "$lib.old" "$prefix/share/handout/templates.old"
[ -d "$lib" ] && mv "$lib" "$lib.old"
mv "$stage/lib" "$lib"
[ -d "$prefix/share/handout/templates" ] && mv "$prefix/share/handout/templates" "$prefix/share/handout/templates.old"
mv "$stage/templates" "$prefix/share/handout/templates"
rm -rf "$lib.old" "$prefix/share/handout/templates.old"
install -m 0755 "$build/handout" "$prefix/bin/handout.new"
mv "$prefix/bin/handout.new" "$prefix/bin/handout"
echo "installed Handout into $prefix (bin/handout, lib/handout, share/handout)"
