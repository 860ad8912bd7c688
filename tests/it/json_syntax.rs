//! Terraform's JSON syntax: a `.tf.json` file plans as the same configuration in native syntax
//! does, and a problem in it is shown at its line in the JSON.

use crate::harness::Workspace;

const NATIVE: &str = r#"variable "routes" {
  type = map(string)
  default = {
    "GET /pets"  = "https://pets.example.com/pets"
    "POST /pets" = "https://pets.example.com/pets"
  }
}

locals {
  name = "pets-${terraform.workspace}"
}

resource "aws_apigatewayv2_api" "pets" {
  name          = local.name
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins = ["https://shop.example.com"]
    max_age       = 300
  }

  tags = {
    Team = "pets"
  }

  lifecycle {
    ignore_changes = [description]
  }
}

resource "aws_apigatewayv2_integration" "pets" {
  for_each           = var.routes
  api_id             = aws_apigatewayv2_api.pets.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = each.value
}

resource "aws_apigatewayv2_route" "pets" {
  for_each   = var.routes
  api_id     = aws_apigatewayv2_api.pets.id
  route_key  = each.key
  target     = "integrations/${aws_apigatewayv2_integration.pets[each.key].id}"
  depends_on = [aws_apigatewayv2_integration.pets]
}

resource "aws_apigatewayv2_stage" "live" {
  api_id      = aws_apigatewayv2_api.pets.id
  name        = "live"
  auto_deploy = true

  dynamic "route_settings" {
    for_each = var.routes
    content {
      route_key              = route_settings.key
      throttling_burst_limit = 10
      throttling_rate_limit  = 5
    }
  }
}

output "endpoint" {
  value = aws_apigatewayv2_api.pets.api_endpoint
}
"#;

/// The same configuration, as CDK for Terraform writes it.
const JSON: &str = r#"{
  "//": "Generated: the pets api.",
  "variable": {
    "routes": {
      "type": "map(string)",
      "default": {
        "GET /pets": "https://pets.example.com/pets",
        "POST /pets": "https://pets.example.com/pets"
      }
    }
  },
  "locals": {
    "name": "pets-${terraform.workspace}"
  },
  "resource": {
    "aws_apigatewayv2_api": {
      "pets": {
        "name": "${local.name}",
        "protocol_type": "HTTP",
        "cors_configuration": {
          "allow_origins": ["https://shop.example.com"],
          "max_age": 300
        },
        "tags": { "Team": "pets" },
        "lifecycle": { "ignore_changes": ["description"] }
      }
    },
    "aws_apigatewayv2_integration": {
      "pets": {
        "for_each": "${var.routes}",
        "api_id": "${aws_apigatewayv2_api.pets.id}",
        "integration_type": "HTTP_PROXY",
        "integration_method": "ANY",
        "integration_uri": "${each.value}"
      }
    },
    "aws_apigatewayv2_route": {
      "pets": {
        "for_each": "${var.routes}",
        "api_id": "${aws_apigatewayv2_api.pets.id}",
        "route_key": "${each.key}",
        "target": "integrations/${aws_apigatewayv2_integration.pets[each.key].id}",
        "depends_on": ["aws_apigatewayv2_integration.pets"]
      }
    },
    "aws_apigatewayv2_stage": {
      "live": {
        "api_id": "${aws_apigatewayv2_api.pets.id}",
        "name": "live",
        "auto_deploy": true,
        "dynamic": {
          "route_settings": {
            "for_each": "${var.routes}",
            "content": {
              "route_key": "${route_settings.key}",
              "throttling_burst_limit": 10,
              "throttling_rate_limit": 5
            }
          }
        }
      }
    }
  },
  "output": {
    "endpoint": { "value": "${aws_apigatewayv2_api.pets.api_endpoint}" }
  }
}
"#;

#[test]
fn issue_11_a_tf_json_file_plans_as_the_same_native_configuration() {
    let native = Workspace::empty("native");
    native.write("main.tf", NATIVE);
    let json = Workspace::empty("json");
    json.write("main.tf.json", JSON);
    let native_plan = native.run(&["plan", "DIR"]).expect_code(0);
    let json_plan = json.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        native_plan.stdout.contains("Plan: 6 to add"),
        "{}",
        native_plan.stdout
    );
    assert_eq!(json_plan.stdout, native_plan.stdout);
    json.converge();
}

#[test]
fn issue_11_a_problem_in_a_tf_json_file_is_shown_in_the_json() {
    let workspace = Workspace::empty("json-problem");
    workspace.write(
        "main.tf.json",
        &JSON.replace("\"protocol_type\": \"HTTP\"", "\"protocl_type\": \"HTTP\""),
    );
    let run = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    assert!(
        run.stderr
            .contains("error: unknown attribute `protocl_type` in `aws_apigatewayv2_api.pets`")
            && run.stderr.contains("--> json-problem/main.tf.json:19:9")
            && run
                .stderr
                .contains("19 |         \"protocl_type\": \"HTTP\",")
            && run.stderr.contains("hint: did you mean `protocol_type`?"),
        "{}",
        run.stderr
    );

    workspace.write(
        "main.tf.json",
        "{\n  \"resource\": {\n    \"x\": 1,\n  }\n}\n",
    );
    let run = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    assert!(
        run.stderr
            .contains("error: invalid JSON: expected a quoted key")
            && run.stderr.contains("--> json-problem/main.tf.json:4:3"),
        "{}",
        run.stderr
    );
}
