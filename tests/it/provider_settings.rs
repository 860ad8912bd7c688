//! What `provider "aws"` says about connecting: a profile from a shared config file, roles to
//! assume, the accounts gateform may change, endpoints, and tags to leave alone. Against moto's
//! STS, which gives each assumed role's account its own objects: an api found in the account
//! proves whose credentials made it.

use crate::harness::{Workspace, moto};

const API: &str = r#"
resource "aws_apigatewayv2_api" "example" {
  name          = "provider-settings"
  protocol_type = "HTTP"
}
"#;

/// The environment's keys (moto's default account) are there too: the provider block's profile
/// wins over them, as in the AWS provider.
fn apply_with_env_keys(workspace: &Workspace) -> crate::harness::Run {
    workspace.run_against(&moto().endpoint, &["apply", "DIR", "--auto-approve"])
}

#[test]
fn issue_11_a_profile_from_a_shared_config_file_assumes_its_role_and_the_account_is_checked() {
    let workspace = Workspace::empty("provider-profile");
    let account = workspace.account().to_owned();
    workspace.write(
        "aws/config",
        &format!(
            "[profile base]\naws_access_key_id = base\naws_secret_access_key = base\n\n[profile deploy]\nrole_arn = arn:aws:iam::{account}:role/deploy\nsource_profile = base\n"
        ),
    );
    let provider = |guard: &str| {
        format!(
            "provider \"aws\" {{\n  profile             = \"deploy\"\n  shared_config_files = [\"aws/config\"]\n  {guard}\n}}\n{API}"
        )
    };
    workspace.write(
        "main.tf",
        &provider(&format!("allowed_account_ids = [\"{account}\"]")),
    );
    apply_with_env_keys(&workspace).expect_code(0);
    let names: Vec<String> = workspace
        .aws()
        .apis()
        .into_iter()
        .map(|api| api.name)
        .collect();
    assert_eq!(
        names,
        ["provider-settings"],
        "the api is in the profile role's account"
    );

    workspace.write(
        "main.tf",
        &provider("allowed_account_ids = [\"999999999999\"]"),
    );
    let refused = workspace
        .run_against(&moto().endpoint, &["plan", "DIR"])
        .expect_code(1);
    assert_eq!(
        refused.stderr,
        format!(
            "error: AWS account ID not allowed: {account} (`allowed_account_ids` lists 999999999999): the provider block does not let gateform change this account, so nothing was read or changed\n"
        )
    );

    workspace.write(
        "main.tf",
        &provider(&format!("forbidden_account_ids = [\"{account}\"]")),
    );
    let forbidden = workspace
        .run_against(&moto().endpoint, &["destroy", "DIR", "--auto-approve"])
        .expect_code(1);
    assert!(
        forbidden.stderr.starts_with(&format!(
            "error: AWS account ID not allowed: {account} (`forbidden_account_ids` lists it)"
        )),
        "{}",
        forbidden.stderr
    );
    assert_eq!(workspace.aws().apis().len(), 1, "nothing was destroyed");
}

#[test]
fn issue_11_an_assume_role_block_takes_the_keys_of_the_block_to_the_role() {
    let workspace = Workspace::empty("provider-assume-role");
    let account = workspace.account().to_owned();
    workspace.write(
        "main.tf",
        &format!(
            r#"provider "aws" {{
  access_key = "static"
  secret_key = "static"

  assume_role {{
    role_arn     = "arn:aws:iam::{account}:role/deployer"
    session_name = "ci"
    duration     = "1h"
    external_id  = "shared-secret"
  }}
}}
{API}"#
        ),
    );
    apply_with_env_keys(&workspace).expect_code(0);
    assert_eq!(
        workspace.aws().apis().len(),
        1,
        "the api is in the role's account"
    );
    let again = workspace
        .run_against(&moto().endpoint, &["plan", "DIR"])
        .expect_code(0);
    assert!(again.stdout.starts_with("No changes."), "{}", again.stdout);
}

/// `endpoints` reach API Gateway and STS where the environment does not point.
#[test]
fn issue_11_endpoints_name_where_api_gateway_and_sts_are() {
    let workspace = Workspace::empty("provider-endpoints");
    let endpoint = &moto().endpoint;
    workspace.write(
        "main.tf",
        &format!(
            "provider \"aws\" {{\n  endpoints {{\n    apigatewayv2 = \"{endpoint}\"\n    sts          = \"{endpoint}\"\n  }}\n  max_retries = 2\n  retry_mode  = \"adaptive\"\n}}\n{API}"
        ),
    );
    workspace
        .run_against("http://127.0.0.1:9", &["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    let plan = workspace
        .run_against("http://127.0.0.1:9", &["plan", "DIR"])
        .expect_code(0);
    assert!(plan.stdout.starts_with("No changes."), "{}", plan.stdout);
}

/// Tags another system sets (`ignore_tags`) are neither read nor planned away.
#[test]
fn issue_11_ignored_tags_are_left_to_whoever_sets_them() {
    let workspace = Workspace::empty("provider-ignore-tags");
    workspace.write(
        "main.tf",
        &format!(
            "provider \"aws\" {{\n  ignore_tags {{\n    keys         = [\"owner\"]\n    key_prefixes = [\"scanner:\"]\n  }}\n}}\n{}",
            API.replace(
                "protocol_type = \"HTTP\"",
                "protocol_type = \"HTTP\"\n  tags          = { team = \"payments\" }"
            )
        ),
    );
    workspace.converge();
    let aws = workspace.aws();
    let arn = workspace.state_values("aws_apigatewayv2_api.example")["arn"]
        .as_str()
        .unwrap()
        .to_owned();
    aws.tag(
        &arn,
        &[
            ("owner", "finance"),
            ("scanner:seen", "yes"),
            ("team", "payments"),
        ],
    );
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(plan.stdout.starts_with("No changes."), "{}", plan.stdout);
    workspace.converge();
    assert_eq!(
        aws.tags(&arn),
        [
            ("owner", "finance"),
            ("scanner:seen", "yes"),
            ("team", "payments")
        ]
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .into()
    );
}

#[test]
fn issue_11_provider_arguments_are_checked_where_they_are_written() {
    let workspace = Workspace::empty("provider-mistakes");
    workspace.write(
        "main.tf",
        &format!(
            r#"provider "aws" {{
  profle     = "deploy"
  retry_mode = "fast"
  rate       = -1
  access_key = "only-half"

  assume_role {{
    duration = "5m"
  }}
}}

provider "aws" {{
  alias   = "west"
  region  = "us-west-2"
  profile = "other"
}}
{API}"#
        ),
    );
    let validate = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    insta::assert_snapshot!(validate.stderr);
}

/// `assume_role_with_web_identity`, as CI systems (GitHub Actions, GitLab) use it: the token is
/// read from its file.
#[test]
fn issue_11_a_web_identity_token_file_is_exchanged_for_the_role() {
    let workspace = Workspace::empty("provider-web-identity");
    let account = workspace.account().to_owned();
    workspace.write("ci-token", "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl\n");
    workspace.write(
        "main.tf",
        &format!(
            r#"provider "aws" {{
  assume_role_with_web_identity {{
    role_arn                = "arn:aws:iam::{account}:role/ci"
    session_name            = "pipeline"
    web_identity_token_file = "ci-token"
  }}
}}
{API}"#
        ),
    );
    apply_with_env_keys(&workspace).expect_code(0);
    assert_eq!(
        workspace.aws().apis().len(),
        1,
        "the api is in the role's account"
    );
    std::fs::remove_file(workspace.file("ci-token")).unwrap();
    let gone = workspace
        .run_against(&moto().endpoint, &["plan", "DIR"])
        .expect_code(1);
    assert!(
        gone.stderr
            .contains("cannot read `web_identity_token_file`"),
        "{}",
        gone.stderr
    );
}
