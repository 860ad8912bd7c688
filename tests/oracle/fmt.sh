#!/usr/bin/env bash
# Regenerates tests/oracle/fmt/*_out.tf: what terraform fmt makes of each *_in.tf beside it.
# gateform's fmt is tested against them (tests/it/fmt.rs); Terraform is needed only here.
#   tests/oracle/fmt.sh
#
# The inputs: one file per rule of terraform fmt (docs/fmt.md), written by hand, and module_*:
# the files of terraform-aws-modules/terraform-aws-apigateway-v2 (commit c1b61c3, Apache-2.0;
# its CI runs terraform fmt -check, so each is canonical) with their whitespace scrambled by
#   tests/oracle/fmt-mess.py FILE 7
# Also checks that terraform fmt finds every fixture and every *_out.tf formatted.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for input in "$here"/fmt/*_in.tf; do
  name=$(basename "$input" _in.tf)
  cp "$input" "$work/$name.tf"
  terraform fmt "$work/$name.tf" >/dev/null
  cp "$work/$name.tf" "$here/fmt/${name}_out.tf"
  terraform fmt -check "$here/fmt/${name}_out.tf" >/dev/null
done
for fixture in "$here"/../../fixtures/*/; do
  case "$fixture" in *invalid-syntax*) continue ;; esac
  rm -rf "$work/fixture" && mkdir "$work/fixture"
  for file in "$fixture"*.hcl; do [ -e "$file" ] && cp "$file" "$work/fixture/$(basename "$file" .hcl).tf"; done
  terraform fmt -check "$work/fixture" >/dev/null || echo "terraform fmt would change $fixture"
done
