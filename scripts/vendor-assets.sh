#!/usr/bin/env bash
# Refresh the self-hosted front-end libraries in docs/assets/vendor/ from the npm registry.
# Usage: scripts/vendor-assets.sh            (versions below)
# The site loads nothing from other hosts, so every library it needs lives here,
# next to its LICENSE and a VERSION file. Bump a version, run this, rebuild, commit.
set -euo pipefail

KATEX_VERSION=0.16.47

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "katex@${KATEX_VERSION}" >/dev/null && tar -xzf katex-*.tgz)
dest="$root/docs/assets/vendor/katex"
rm -rf "$dest"
mkdir -p "$dest/fonts"
cp "$work/package/dist/katex.min.js" "$work/package/dist/katex.min.css" "$dest/"
# Browsers that run the site all read woff2; the CSS lists it first.
cp "$work/package/dist/fonts/"*.woff2 "$dest/fonts/"
cp "$work/package/LICENSE" "$dest/LICENSE"
echo "katex ${KATEX_VERSION} (npm)" > "$dest/VERSION"
echo "vendored katex ${KATEX_VERSION} into ${dest#"$root"/}"
