#!/usr/bin/env bash
# Regenerates tests/oracle/migrate/: what Terraform itself reads from the hand-written state of
# fixtures/terraform-migration (Terraform 1.11 with AWS provider 5.x's attribute names and
# unset values, from docs/terraform-formats.md section 2): its addresses (`terraform state
# list`) and its root outputs (read back through `terraform_remote_state`). Both need no
# provider. tests/it/migrate.rs checks that gateform migrates the same addresses and outputs;
# Terraform is needed only here.
#   tests/oracle/migrate.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state="$here/../../fixtures/terraform-migration/terraform.tfstate"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
terraform state list -state="$state" >"$here/migrate/state-list.txt"
cat >"$work/main.tf" <<HCL
data "terraform_remote_state" "shop" {
  backend = "local"
  config = {
    path = "$state"
  }
}

output "outputs" {
  value = data.terraform_remote_state.shop.outputs
}
HCL
(cd "$work" && terraform init -input=false >/dev/null && terraform apply -auto-approve -input=false >/dev/null \
  && terraform output -json outputs) >"$here/migrate/outputs.json"
