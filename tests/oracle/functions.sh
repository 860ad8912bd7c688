#!/usr/bin/env bash
# Regenerates functions.names and functions.golden from Terraform itself:
#   functions.names   every built-in function of Terraform's language (`terraform metadata
#                     functions`), which gateform must all have
#   functions.golden  for each expression of functions.examples, what `terraform console` answers
#                     for `jsonencode(EXPRESSION)` in files/, or `error`
# gateform's unit tests hold its functions against these files; Terraform is needed only here.
#   tests/oracle/functions.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export TF_CLI_CONFIG_FILE=/dev/null
cd "$here/files"
terraform metadata functions -json | python3 -c '
import json, sys
names = json.load(sys.stdin)["function_signatures"]
print("\n".join(sorted(name for name in names if "::" not in name)))
' > "$here/functions.names"
grep -v '^#' "$here/functions.examples" | cut -f1 | while IFS= read -r expression; do
  output=$(printf 'jsonencode(%s)\n' "$expression" | terraform console -no-color 2>&1 || true)
  printf '%s\t' "$expression"
  printf '%s' "$output" | python3 -c '
import json, sys
output = sys.stdin.read()
if "Error" in output:
    print("error")
else:
    # The console writes the JSON text as an HCL string literal.
    line = [l for l in output.splitlines() if l.strip()][-1]
    text = json.loads(line.replace("$${", "${").replace("%%{", "%{"))
    print(json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True))
'
done > "$here/functions.golden"
