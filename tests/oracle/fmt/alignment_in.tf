resource "aws_apigatewayv2_stage" "live" {
api_id = aws_apigatewayv2_api.gw.id
name = "$default"
auto_deploy = true # publish on change

# logging
access_log_settings {
destination_arn = aws_cloudwatch_log_group.logs.arn
format = jsonencode({ requestId = "x" })
}
stage_variables = {
env = "prod"
lambdaAlias = "live"
}
tags = { team = "edge" }
default_route_settings { throttling_burst_limit = 10 }
x = 1
}
locals {
  id = "a1"
  body = <<-EOT
    {"openapi": "3.0.1"}
  EOT
  n = -1
  list = [
    "a",
  ]
  x = 1
  quoted_key = 2
  𝒜 = 3
  ab = 4
  opens = { a = 1
  b = 2 }
  after = 3
}
