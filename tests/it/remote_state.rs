//! `data "terraform_remote_state"`: a team keeps its Lambda functions in Terraform and its api in
//! gateform, and passes Terraform's outputs across through Terraform's state, kept in a local
//! file or in S3 (moto's).

use crate::harness::Workspace;

/// The state Terraform leaves for the Lambda side: format 4, one output sensitive.
const STATE: &str = r#"{
  "version": 4,
  "terraform_version": "1.11.0",
  "serial": 7,
  "lineage": "3f3c1a52-7d8e-4f3b-9d1a-2b7c9e0f4a11",
  "outputs": {
    "invoke_arn": {
      "value": "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders/invocations",
      "type": "string"
    },
    "token": {
      "value": "t0ken-s3cret",
      "type": "string",
      "sensitive": true
    }
  },
  "resources": []
}"#;

fn config(backend: &str) -> String {
    format!(
        r#"data "terraform_remote_state" "lambda" {{
  backend = "{backend}"
  config = {config}

  defaults = {{
    stage = "live"
  }}
}}

resource "aws_apigatewayv2_api" "orders" {{
  name          = "orders"
  protocol_type = "HTTP"
  tags = {{
    token = data.terraform_remote_state.lambda.outputs.token
  }}
}}

resource "aws_apigatewayv2_integration" "lambda" {{
  api_id           = aws_apigatewayv2_api.orders.id
  integration_type = "AWS_PROXY"
  integration_uri  = data.terraform_remote_state.lambda.outputs.invoke_arn
}}

resource "aws_apigatewayv2_stage" "live" {{
  api_id      = aws_apigatewayv2_api.orders.id
  name        = data.terraform_remote_state.lambda.outputs.stage
  auto_deploy = true
}}
"#,
        config = match backend {
            "local" => "{ path = \"../lambda/terraform.tfstate\" }".to_owned(),
            _ => "{\n    bucket         = \"team-states\"\n    key            = \"lambda/terraform.tfstate\"\n    region         = \"eu-west-1\"\n    use_path_style = true\n  }".to_owned(),
        }
    )
}

/// What both backends must give: the outputs in the plan, the sensitive one hidden in what people
/// read and marked in the JSON,
/// `defaults` for an output the state lacks, and an apply that re-plans empty.
fn passes_the_outputs_in(workspace: &Workspace) {
    workspace.run_offline(&["validate", "DIR"]).expect_code(0);
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    for line in [
        "      + integration_uri                           = \"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders/invocations\"\n",
        "      + tags                         = (sensitive value)\n",
        "      + tags_all                     = (sensitive value)\n",
        "      + name          = \"live\"\n",
    ] {
        assert!(plan.stdout.contains(line), "{line}\n{}", plan.stdout);
    }
    let json = workspace
        .run(&["plan", "DIR", "--format", "json"])
        .expect_code(0);
    let markdown = workspace
        .run(&["plan", "DIR", "--format", "markdown"])
        .expect_code(0);
    let apply = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    for output in [&plan.stdout, &markdown.stdout, &apply.stdout, &apply.stderr] {
        assert!(!output.contains("s3cret"), "{output}");
    }
    // Terraform's JSON plan holds the values and marks which are sensitive; so does gateform's.
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        json["resource_changes"][0]["change"]["after_sensitive"],
        serde_json::json!({"tags": true, "tags_all": true})
    );
    assert_eq!(
        workspace.state_values("aws_apigatewayv2_integration.lambda")["integration_uri"],
        "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders/invocations"
    );
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
}

#[test]
fn issue_11_a_local_terraform_state_passes_its_outputs_in() {
    let workspace = Workspace::empty("api");
    let lambda = workspace.file("../lambda");
    std::fs::create_dir_all(&lambda).unwrap();
    std::fs::write(lambda.join("terraform.tfstate"), STATE).unwrap();
    workspace.write("main.tf", &config("local"));
    passes_the_outputs_in(&workspace);

    // A state that is not Terraform's is an error naming the file.
    std::fs::write(lambda.join("terraform.tfstate"), "{}").unwrap();
    let plan = workspace.run(&["plan", "DIR"]).expect_code(1);
    assert!(
        plan.stderr.contains(
            "`api/../lambda/terraform.tfstate`: not a Terraform state file (it has no `version`)"
        ),
        "{}",
        plan.stderr
    );
}

#[test]
fn issue_11_a_terraform_state_in_s3_passes_its_outputs_in() {
    let workspace = Workspace::empty("api-s3");
    workspace
        .aws()
        .put_object("team-states", "lambda/terraform.tfstate", STATE);
    workspace.write("main.tf", &config("s3"));
    passes_the_outputs_in(&workspace);
}
