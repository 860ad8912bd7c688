variable "legacy" {
  type = list(string)
}
variable "legacy_map" {
  type = map(string)
}
variable "legacy_string" {
  type = string
}
variable "bare" {
  type = list(any)
}
variable "bare_set" {
  type = set(any)
  validation {
    condition     = true
    error_message = "x"
  }
}
resource "aws_apigatewayv2_route" "r" {
  for_each             = var.routes
  api_id               = aws_apigatewayv2_api.gw.id
  target               = "integrations/${each.value.id}"
  authorization_scopes = ["read", "write"]
  request_models       = { "application/json" = "E" }
  operation_name       = var.ops[each.key]
  two                  = "${a}${b}"
  in_list              = ["${x}"]
  nested               = f("${x}")
  multi = (var.a
    ? 1
  : 2)
  multi_parens = (
    var.a
  )
  stripped = var.s
  type     = "list"
}
resource "x" "y" /* d */ {
}
locals /* c */ {
}
