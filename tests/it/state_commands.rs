//! `gateform state list/show/rm/mv/pull/history/rollback` and `version`: the state read and
//! changed by hand as `terraform state` does, against objects made in moto. None of them calls AWS.

use crate::harness::Workspace;

/// `-chdir=` the workspace's directory, where the state file is, as Terraform's `state`
/// commands work on the current directory.
fn chdir(workspace: &Workspace) -> String {
    format!(
        "-chdir={}",
        workspace.dir.file_name().unwrap().to_str().unwrap()
    )
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

#[test]
fn state_list_show_mv_and_rm() {
    let workspace = Workspace::new("for-each-routes");
    workspace
        .run(&["apply", "DIR", "-auto-approve"])
        .expect_code(0);
    let chdir = chdir(&workspace);
    let list = workspace
        .run_offline(&[&chdir, "state", "list"])
        .expect_code(0);
    assert_eq!(
        lines(&list.stdout),
        [
            "aws_apigatewayv2_api.this",
            r#"aws_apigatewayv2_integration.this["create"]"#,
            r#"aws_apigatewayv2_integration.this["list"]"#,
            "aws_apigatewayv2_route.extra[0]",
            "aws_apigatewayv2_route.extra[1]",
            r#"aws_apigatewayv2_route.this["create"]"#,
            r#"aws_apigatewayv2_route.this["list"]"#,
        ]
    );
    let some = workspace
        .run_offline(&[&chdir, "state", "list", "aws_apigatewayv2_route.this"])
        .expect_code(0);
    assert_eq!(
        lines(&some.stdout),
        [
            r#"aws_apigatewayv2_route.this["create"]"#,
            r#"aws_apigatewayv2_route.this["list"]"#,
        ]
    );
    let show = workspace
        .run_offline(&[
            &chdir,
            "state",
            "show",
            r#"aws_apigatewayv2_route.this["list"]"#,
        ])
        .expect_code(0);
    assert!(
        show.stdout.starts_with(
            "# aws_apigatewayv2_route.this[\"list\"]:\nresource \"aws_apigatewayv2_route\" \"this\" {\n"
        ),
        "{}",
        show.stdout
    );
    assert!(show.stdout.contains("    route_key "), "{}", show.stdout);
    assert!(show.stdout.contains("= \"GET /pets\"\n"), "{}", show.stdout);

    // mv: the instances of `extra` become `optional`'s, with their keys; the configuration
    // renamed the same way plans nothing.
    let before = workspace.state_id("aws_apigatewayv2_route.extra[0]");
    let mv = workspace
        .run_offline(&[
            &chdir,
            "state",
            "mv",
            "aws_apigatewayv2_route.extra",
            "aws_apigatewayv2_route.optional",
        ])
        .expect_code(0);
    assert_eq!(
        mv.stdout,
        "Move \"aws_apigatewayv2_route.extra[0]\" to \"aws_apigatewayv2_route.optional[0]\"\nMove \"aws_apigatewayv2_route.extra[1]\" to \"aws_apigatewayv2_route.optional[1]\"\nSuccessfully moved 2 object(s).\n"
    );
    assert_eq!(
        workspace.state_id("aws_apigatewayv2_route.optional[0]"),
        before
    );
    let main = std::fs::read_to_string(workspace.file("main.hcl")).unwrap();
    workspace.write(
        "main.hcl",
        &main.replace(
            "resource \"aws_apigatewayv2_route\" \"extra\"",
            "resource \"aws_apigatewayv2_route\" \"optional\"",
        ),
    );
    workspace
        .run(&["plan", "DIR", "-detailed-exitcode"])
        .expect_code(0);
    let taken = workspace
        .run_offline(&[
            &chdir,
            "state",
            "mv",
            "aws_apigatewayv2_route.optional[0]",
            "aws_apigatewayv2_route.optional[1]",
        ])
        .expect_code(1);
    assert_eq!(
        taken.stderr,
        "error: cannot move `aws_apigatewayv2_route.optional[0]` to `aws_apigatewayv2_route.optional[1]`: the state already holds `aws_apigatewayv2_route.optional[1]`; `gateform state rm` it first if it is meant to go\n"
    );

    // rm: gateform forgets the route; AWS keeps it, and the next plan would make another.
    let rm = workspace
        .run_offline(&[
            &chdir,
            "state",
            "rm",
            r#"aws_apigatewayv2_route.this["list"]"#,
        ])
        .expect_code(0);
    assert_eq!(
        rm.stdout,
        "Removed aws_apigatewayv2_route.this[\"list\"]\nSuccessfully removed 1 resource instance(s). They still exist in AWS.\n"
    );
    let apis = workspace.aws().apis();
    assert!(
        apis[0].route_keys.contains(&"GET /pets".to_owned()),
        "{apis:?}"
    );
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout
            .contains("Plan: 1 to add, 0 to change, 0 to destroy."),
        "{}",
        plan.stdout
    );
    let missing = workspace
        .run_offline(&[&chdir, "state", "rm", "aws_apigatewayv2_route.gone"])
        .expect_code(1);
    assert_eq!(
        missing.stderr,
        "error: no resource instance in the state matches `aws_apigatewayv2_route.gone`: `gateform state list` shows what it holds\n"
    );
}

#[test]
fn state_pull_is_a_terraform_state_file_that_terraform_remote_state_reads() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "outputs.hcl",
        "output \"api_id\" {\n  value = aws_apigatewayv2_api.example.id\n}\n",
    );
    workspace
        .run(&["apply", "DIR", "-auto-approve"])
        .expect_code(0);
    let pull = workspace
        .run_offline(&[&chdir(&workspace), "state", "pull"])
        .expect_code(0);
    let state: serde_json::Value = serde_json::from_str(&pull.stdout).unwrap();
    let id = workspace.state_id("aws_apigatewayv2_api.example");
    assert_eq!(state["version"], 4);
    assert_eq!(state["terraform_version"], "1.11.4");
    assert_eq!(
        state["outputs"],
        serde_json::json!({"api_id": {"value": id, "type": "string"}})
    );
    let resource = &state["resources"][0];
    assert_eq!(resource["mode"], "managed");
    assert_eq!(resource["type"], "aws_apigatewayv2_api");
    assert_eq!(
        resource["provider"],
        "provider[\"registry.terraform.io/hashicorp/aws\"]"
    );
    assert_eq!(resource["instances"][0]["attributes"]["id"], id.as_str());

    // Another configuration reads it as Terraform's state, through terraform_remote_state.
    let reader = Workspace::empty("reader");
    reader.write("network.tfstate", &pull.stdout);
    reader.write(
        "main.tf",
        "data \"terraform_remote_state\" \"api\" {\n  backend = \"local\"\n  config = {\n    path = \"network.tfstate\"\n  }\n}\n\nresource \"aws_apigatewayv2_route\" \"r\" {\n  api_id    = data.terraform_remote_state.api.outputs.api_id\n  route_key = \"GET /\"\n}\n",
    );
    let plan = reader.run(&["plan", "DIR", "-no-color"]).expect_code(0);
    assert!(
        plan.stdout
            .contains(&format!("api_id             = \"{id}\"")),
        "{}",
        plan.stdout
    );
}

#[test]
fn state_history_and_rollback() {
    let workspace = Workspace::new("seed-http-api");
    workspace
        .run(&["apply", "DIR", "-auto-approve"])
        .expect_code(0);
    let chdir = chdir(&workspace);
    let serial = |workspace: &Workspace| -> u64 {
        let pull = workspace
            .run_offline(&[&chdir, "state", "pull"])
            .expect_code(0);
        let state: serde_json::Value = serde_json::from_str(&pull.stdout).unwrap();
        state["serial"].as_u64().unwrap()
    };
    let with_api = serial(&workspace);
    workspace.write(
        "route.hcl",
        "resource \"aws_apigatewayv2_route\" \"r\" {\n  api_id    = aws_apigatewayv2_api.example.id\n  route_key = \"GET /\"\n}\n",
    );
    workspace
        .run(&["apply", "DIR", "-auto-approve"])
        .expect_code(0);
    let history = workspace
        .run_offline(&[&chdir, "state", "history"])
        .expect_code(0);
    let last = history.stdout.lines().last().unwrap().to_owned();
    let fields: Vec<&str> = last.split_whitespace().collect();
    assert_eq!(
        fields[0],
        serial(&workspace).to_string(),
        "{}",
        history.stdout
    );
    assert_eq!(
        &fields[3..],
        ["apply", "put", "aws_apigatewayv2_route.r"],
        "{}",
        history.stdout
    );

    let rollback = workspace
        .run_offline(&[&chdir, "state", "rollback", &with_api.to_string()])
        .expect_code(0);
    assert!(
        rollback.stdout.starts_with(&format!(
            "The state holds the resources of serial {with_api} again"
        )),
        "{}",
        rollback.stdout
    );
    let aws = workspace.aws();
    let api = aws.apis()[0].id.clone();
    let routes = aws
        .block_on(aws.client().get_routes().api_id(api).send())
        .unwrap();
    let route = routes.items()[0].route_id().unwrap().to_owned();
    assert!(
        rollback.stdout.ends_with(&format!(
            "they still exist in AWS, and a plan would create them again. Delete them in AWS, or adopt them back with `gateform import ADDR ID`:\n  aws_apigatewayv2_route.r  (id {route})\n"
        )),
        "{}",
        rollback.stdout
    );
    let list = workspace
        .run_offline(&[&chdir, "state", "list"])
        .expect_code(0);
    assert_eq!(list.stdout, "aws_apigatewayv2_api.example\n");
    let history = workspace
        .run_offline(&[&chdir, "state", "history"])
        .expect_code(0);
    assert!(
        history.stdout.lines().last().unwrap().ends_with(&format!(
            "state rollback {with_api}  remove aws_apigatewayv2_route.r"
        )),
        "{}",
        history.stdout
    );
    // AWS still has the route, which the state no longer records.
    assert_eq!(workspace.aws().apis()[0].route_keys, ["GET /"]);
    let beyond = workspace
        .run_offline(&[&chdir, "state", "rollback", "9999"])
        .expect_code(1);
    assert!(
        beyond
            .stderr
            .starts_with("error: the state has serials 1 to "),
        "{}",
        beyond.stderr
    );
}

#[test]
fn version_as_text_and_json() {
    let workspace = Workspace::empty("version");
    let text = workspace.run_offline(&["version"]).expect_code(0);
    assert!(
        text.stdout.starts_with(&format!(
            "gateform v{}\non linux_",
            env!("CARGO_PKG_VERSION")
        )),
        "{}",
        text.stdout
    );
    let json = workspace.run_offline(&["version", "-json"]).expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["terraform_version"], "1.11.4");
    assert_eq!(json["gateform_version"], env!("CARGO_PKG_VERSION"));
    assert!(json["platform"].as_str().unwrap().starts_with("linux_"));
}

#[test]
fn console_evaluates_each_line_against_the_configuration_and_the_state() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "variables.hcl",
        "variable \"token\" {\n  type      = string\n  default   = \"s3cr3t\"\n  sensitive = true\n}\n\nlocals {\n  tags = { team = \"payments\", tiers = [1, 2] }\n}\n",
    );
    workspace
        .run(&["apply", "DIR", "-auto-approve"])
        .expect_code(0);
    let id = workspace.state_id("aws_apigatewayv2_api.example");
    let input = "aws_apigatewayv2_api.example.id\n\nupper(aws_apigatewayv2_api.example.name)\nlocal.tags\nvar.token\nvar.nope\n";
    let mut console = workspace.command(&[
        "console",
        workspace.dir.file_name().unwrap().to_str().unwrap(),
    ]);
    let mut child = console
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let run = crate::harness::Run::from(child.wait_with_output().unwrap()).expect_code(1);
    assert_eq!(
        run.stdout,
        format!(
            "\"{id}\"\n\"EXAMPLE-HTTP-API\"\n{{\n  \"team\" = \"payments\"\n  \"tiers\" = [\n    1,\n    2,\n  ]\n}}\n(sensitive value)\n"
        )
    );
    assert!(
        run.stderr
            .starts_with("error: undeclared input variable `nope`\n --> <console-input>:1:1\n"),
        "{}",
        run.stderr
    );
}
