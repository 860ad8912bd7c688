#!/usr/bin/env bash
# Regenerates fmt-alignment.golden: what terraform fmt makes of fmt-alignment.hcl. gateform's
# fmt is tested against it (tests/it/fmt.rs); Terraform is needed only to regenerate it. Also
# checks that terraform fmt finds every fixture formatted, as gateform's fmt does.
#   tests/oracle/fmt.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/fmt-alignment.hcl" "$work/main.tf"
terraform fmt "$work/main.tf" >/dev/null
cp "$work/main.tf" "$here/fmt-alignment.golden"
for fixture in "$here"/../../fixtures/*/; do
  case "$fixture" in *invalid-syntax*) continue ;; esac
  rm -rf "$work/fixture" && mkdir "$work/fixture"
  for file in "$fixture"*.hcl; do [ -e "$file" ] && cp "$file" "$work/fixture/$(basename "$file" .hcl).tf"; done
  terraform fmt -check "$work/fixture" >/dev/null || echo "terraform fmt would change $fixture"
done
