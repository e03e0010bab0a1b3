#!/usr/bin/env bash
# Makes the release archive OUT_DIR/handout-<version>-linux-<arch>.tar.gz of a built Handout, and its
# SHA-256 beside it (OUT_DIR/….tar.gz.sha256, the line `sha256sum -c` reads). The archive holds one
# folder, handout-<version>-linux-<arch>/, with the relocatable install of scripts/install.sh
# (bin/handout, lib/handout, share/handout): unpacked anywhere, its bin/handout works.
#
# Reproducible: the same build gives the same bytes. Entries sorted by name, every mtime
# SOURCE_DATE_EPOCH (default: the time of the checkout's last commit), owner and group 0 with no
# names, modes normalised (no group or other write), GNU tar format (no atime or ctime), gzip
# without a name or time stamp.
#
# Usage: scripts/dist.sh BUILD_DIR OUT_DIR     (BUILD_DIR: .build-release/release, .build/debug)
set -euo pipefail

build=${1:?usage: dist.sh BUILD_DIR OUT_DIR}
out=${2:?usage: dist.sh BUILD_DIR OUT_DIR}
src=$(cd "$(dirname "$0")/.." && pwd)

[ -x "$build/handout" ] || { echo "dist.sh: $build/handout is missing; build first (make release)" >&2; exit 1; }
version=$("$build/handout" --version)
case $version in
  '' | *[!0-9A-Za-z.+-]*) echo "dist.sh: '$version' from $build/handout --version is no version" >&2; exit 1 ;;
esac
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$src" log -1 --format=%ct 2>/dev/null) || {
    echo "dist.sh: $src is no git checkout; set SOURCE_DATE_EPOCH (seconds since 1970) for the archive's times" >&2
    exit 1
  }
fi
case $SOURCE_DATE_EPOCH in
  '' | *[!0-9]*) echo "dist.sh: SOURCE_DATE_EPOCH='$SOURCE_DATE_EPOCH' is not a number of seconds" >&2; exit 1 ;;
esac

name=handout-$version-linux-$(uname -m)
stage=$(mktemp -d "${TMPDIR:-/tmp}/handout-dist.XXXXXX")
trap 'rm -rf "$stage"' EXIT
"$src/scripts/install.sh" "$build" "$stage/$name" >/dev/null

mkdir -p "$out"
LC_ALL=C tar --create --format=gnu --sort=name --mtime="@$SOURCE_DATE_EPOCH" \
  --owner=0 --group=0 --numeric-owner --mode='u+rwX,go+rX,go-w' \
  --directory "$stage" "$name" | gzip -n -9 >"$stage/$name.tar.gz"
mv "$stage/$name.tar.gz" "$out/$name.tar.gz"
(cd "$out" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
echo "$out/$name.tar.gz"
