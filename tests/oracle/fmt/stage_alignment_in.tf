resource "aws_apigatewayv2_integration" "example" {
  api_id = aws_apigatewayv2_api.example.id
  integration_type = "HTTP_PROXY"
  request_parameters = {
    "append:header.authforintegration" = "$context.authorizer.authorizerResponse"
    "overwrite:path" = "staticValueForIntegration"
  }
  connection_type = "VPC_LINK"
  connection_id = aws_apigatewayv2_vpc_link.example.id
  response_parameters {
    status_code = 403
    mappings = {
      "append:header.auth" = "$context.authorizer.authorizerResponse"
    }
  }
  tags = {
    Usage = "example"
  }
  description = "last"
}
