#!/usr/bin/env bash
# Regenerates conversions.golden: what Terraform's own conversion (cty's, through `tonumber` and
# `tobool`) answers for each input string. gateform's `types::parse_number` and its bool
# conversion are tested against this file; Terraform itself is needed only to regenerate it.
#   tests/oracle/conversions.sh > tests/oracle/conversions.golden
set -euo pipefail
inputs=("30000" " 30000" "30000 " "-1.5" "+5" ".5" "5." "-0" "1e3" "1E3" "1e+3" "1e-3" "1e" "e3"
  "0x10" "1_000" "" "inf" "Inf" "+inf" "-inf" "nan" "NaN" "infinity" "1.2.3" "--1" "+-1" "12abc"
  "true" "false" "True" "FALSE" "1" "0" "yes")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for input in "${inputs[@]}"; do
  for function in tonumber tobool; do
    output=$(cd "$work" && printf '%s("%s")\n' "$function" "$input" | TF_CLI_CONFIG_FILE=/dev/null terraform console -no-color 2>&1 || true)
    case "$output" in
      *Error*) answer="error" ;;
      *) answer=$(printf '%s\n' "$output" | grep -v '^\s*$' | tail -n 1) ;;
    esac
    printf '%s\t%s\t%s\n' "$function" "$input" "$answer"
  done
done
