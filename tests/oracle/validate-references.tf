locals {
  name = "orders-${var.stage}"
  tags = { team = local.team }
}

output "name" {
  value = local.name
}

output "missing" {
  value = var.region
}
