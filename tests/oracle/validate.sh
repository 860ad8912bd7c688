#!/usr/bin/env bash
# Regenerates validate/*.json: what `terraform validate -json` prints for inputs it can check
# without a provider: fixtures/invalid-syntax (its .hcl as .tf) and validate-references.tf.
# gateform's `validate --json` is tested against them (tests/it/validate_json.rs): the fields
# and their types, and the positions of the same problem in the same text. Terraform is needed
# only to regenerate them.
#   tests/oracle/validate.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
validate() { (cd "$1" && TF_CLI_CONFIG_FILE=/dev/null terraform validate -json -no-color || true); }
mkdir "$work/syntax" "$work/references"
cp "$here/../../fixtures/invalid-syntax/main.hcl" "$work/syntax/main.tf"
validate "$work/syntax" > "$here/validate/invalid-syntax.json"
cp "$here/validate-references.tf" "$work/references/main.tf"
validate "$work/references" > "$here/validate/references.json"
