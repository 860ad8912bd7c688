//! Terraform's command-line habits: a CI script written for `terraform` works with the command
//! name changed.

use crate::harness::Workspace;

#[test]
fn a_terraform_ci_script_runs_with_single_dash_flags() {
    let workspace = Workspace::new("variables-and-locals");
    workspace.write("prod.tfvars", "stage = \"prod\"\n");
    let name = workspace.dir.file_name().unwrap().to_str().unwrap();
    let chdir = format!("-chdir={name}");
    let plan = workspace
        .run(&[
            &chdir,
            "plan",
            "-var-file=prod.tfvars",
            "-var",
            "name=orders",
            "-refresh=false",
            "-parallelism=2",
            "-detailed-exitcode",
            "-out=ci.plan",
        ])
        .expect_code(2);
    assert!(
        plan.stdout.contains("orders-prod"),
        "the variables from -var and -var-file are used:\n{}",
        plan.stdout
    );
    let apply = workspace
        .run(&[
            &chdir,
            "apply",
            "-auto-approve",
            "-lock-timeout=5s",
            "ci.plan",
        ])
        .expect_code(0);
    assert!(
        apply.stdout.contains("Apply complete!"),
        "{}\n{}",
        apply.stdout,
        apply.stderr
    );
    let again = workspace
        .run(&[
            "plan",
            "-detailed-exitcode",
            "-var",
            "name=orders",
            &format!("-var-file={name}/prod.tfvars"),
            "DIR",
        ])
        .expect_code(0);
    assert!(again.stdout.contains("No changes."), "{}", again.stdout);
    // A flag gateform lacks is named with the nearest one it has, and fails as bad input does:
    // exit code 1, never the 2 of "changes present".
    let unknown = workspace
        .run(&["plan", "-detailed-exitcodes", "DIR"])
        .expect_code(1);
    assert!(
        unknown
            .stderr
            .contains("error: unexpected argument '--detailed-exitcodes' found"),
        "{}",
        unknown.stderr
    );
    assert!(
        unknown
            .stderr
            .contains("tip: a similar argument exists: '--detailed-exitcode'"),
        "{}",
        unknown.stderr
    );
    let help = workspace.run(&["plan", "-help"]).expect_code(0);
    assert!(
        help.stdout.contains("--detailed-exitcode"),
        "{}",
        help.stdout
    );
}

#[test]
fn replace_destroys_and_creates_again_the_object_it_names() {
    let workspace = Workspace::new("seed-route-basic");
    workspace
        .run(&["apply", "DIR", "-auto-approve"])
        .expect_code(0);
    let before = workspace.state_id("aws_apigatewayv2_route.example");
    let plan = workspace
        .run(&[
            "plan",
            "DIR",
            "-replace=aws_apigatewayv2_route.example",
            "-no-color",
        ])
        .expect_code(0);
    assert!(
        plan.stdout
            .contains("  # aws_apigatewayv2_route.example will be replaced, as requested\n"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("Plan: 1 to add, 0 to change, 1 to destroy."),
        "{}",
        plan.stdout
    );
    let json = workspace
        .run(&[
            "plan",
            "DIR",
            "-replace=aws_apigatewayv2_route.example",
            "--format",
            "json",
        ])
        .expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let route = json["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|change| change["address"] == "aws_apigatewayv2_route.example")
        .unwrap();
    assert_eq!(route["action_reason"], "replace_by_request");
    assert_eq!(
        route["change"]["actions"],
        serde_json::json!(["delete", "create"])
    );

    workspace
        .run(&[
            "apply",
            "DIR",
            "-replace=aws_apigatewayv2_route.example",
            "-auto-approve",
        ])
        .expect_code(0);
    assert_ne!(workspace.state_id("aws_apigatewayv2_route.example"), before);
    let apis = workspace.aws().apis();
    assert_eq!(apis.len(), 1);
    assert_eq!(apis[0].route_keys, ["$default"], "the old route is gone");
    workspace
        .run(&["plan", "DIR", "-detailed-exitcode"])
        .expect_code(0);

    let unknown = workspace
        .run(&["plan", "DIR", "-replace=aws_apigatewayv2_route.typo"])
        .expect_code(1);
    assert_eq!(
        unknown.stderr,
        "error: --replace `aws_apigatewayv2_route.typo` names no resource in the configuration or the state: check the address with `gateform state list`\n"
    );
}

#[test]
fn input_false_makes_a_question_an_error() {
    let workspace = Workspace::new("seed-http-api");
    let apply = workspace
        .run(&["apply", "DIR", "-input=false", "-no-color"])
        .expect_code(1);
    assert!(
        apply.stderr.ends_with(
            "error: apply needs approval, and --input=false forbids asking for it: add --auto-approve\n"
        ),
        "{}",
        apply.stderr
    );
    assert_eq!(
        workspace.state_json()["values"]["root_module"]["resources"],
        serde_json::json!([])
    );
    // Terraform's `apply -destroy` is `destroy`.
    workspace
        .run(&["apply", "DIR", "-auto-approve"])
        .expect_code(0);
    let destroy = workspace
        .run(&["apply", "DIR", "-destroy", "-auto-approve"])
        .expect_code(0);
    assert!(
        destroy.stdout.contains("Destroy complete!"),
        "{}",
        destroy.stdout
    );
}

#[test]
fn plan_json_prints_terraforms_machine_readable_lines() {
    let workspace = Workspace::new("seed-route-basic");
    let plan = workspace
        .run(&["plan", "DIR", "-json", "-detailed-exitcode"])
        .expect_code(2);
    let (lines, types) = ui_lines(&plan.stdout);
    assert_eq!(
        types,
        [
            "version",
            "planned_change",
            "planned_change",
            "change_summary"
        ]
    );
    assert_eq!(lines[0]["terraform"], "1.11.4");
    assert_eq!(
        lines[1]["@message"],
        "aws_apigatewayv2_api.example: Plan to create"
    );
    assert_eq!(lines[1]["@module"], "terraform.ui");
    assert_eq!(
        lines[1]["change"],
        serde_json::json!({
            "action": "create",
            "resource": {
                "addr": "aws_apigatewayv2_api.example",
                "module": "",
                "resource": "aws_apigatewayv2_api.example",
                "implied_provider": "aws",
                "resource_type": "aws_apigatewayv2_api",
                "resource_name": "example",
                "resource_key": null,
            },
        })
    );
    assert_eq!(
        lines[3]["changes"],
        serde_json::json!({"add": 2, "change": 0, "import": 0, "remove": 0, "operation": "plan"})
    );
    assert_eq!(
        lines[3]["@message"],
        "Plan: 2 to add, 0 to change, 0 to destroy."
    );
}

#[test]
fn output_raw_prints_the_value_alone() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "outputs.hcl",
        "output \"endpoint\" {\n  value = aws_apigatewayv2_api.example.api_endpoint\n}\n\noutput \"names\" {\n  value = [aws_apigatewayv2_api.example.name]\n}\n",
    );
    workspace
        .run(&["apply", "DIR", "-auto-approve"])
        .expect_code(0);
    let name = workspace
        .dir
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let chdir = format!("-chdir={name}");
    let raw = workspace
        .run(&[&chdir, "output", "-raw", "endpoint"])
        .expect_code(0);
    let id = workspace.state_id("aws_apigatewayv2_api.example");
    assert!(
        raw.stdout.starts_with("https://") && raw.stdout.contains(&id),
        "{}",
        raw.stdout
    );
    assert!(
        !raw.stdout.ends_with('\n') && !raw.stdout.contains('"'),
        "{:?}",
        raw.stdout
    );
    let list = workspace
        .run(&[&chdir, "output", "-raw", "names"])
        .expect_code(1);
    assert_eq!(
        list.stderr,
        "error: the output `names` is not a string, number or bool, which --raw prints as they are: use --json\n"
    );
}

/// Every flag Terraform 1.11 documents for the commands gateform shares with it, by command.
const TERRAFORM_FLAGS: &[(&str, &[&str])] = &[
    (
        "plan",
        &[
            "-destroy",
            "-refresh-only",
            "-refresh",
            "-replace",
            "-target",
            "-var",
            "-var-file",
            "-compact-warnings",
            "-detailed-exitcode",
            "-generate-config-out",
            "-input",
            "-json",
            "-lock",
            "-lock-timeout",
            "-no-color",
            "-out",
            "-parallelism",
            "-state",
        ],
    ),
    (
        "apply",
        &[
            "-auto-approve",
            "-backup",
            "-compact-warnings",
            "-destroy",
            "-lock",
            "-lock-timeout",
            "-input",
            "-json",
            "-no-color",
            "-parallelism",
            "-state",
            "-state-out",
            "-refresh",
            "-refresh-only",
            "-replace",
            "-target",
            "-var",
            "-var-file",
        ],
    ),
    (
        "destroy",
        &[
            "-auto-approve",
            "-backup",
            "-compact-warnings",
            "-lock",
            "-lock-timeout",
            "-input",
            "-json",
            "-no-color",
            "-parallelism",
            "-state",
            "-state-out",
            "-refresh",
            "-target",
            "-var",
            "-var-file",
        ],
    ),
    (
        "import",
        &[
            "-config",
            "-input",
            "-lock",
            "-lock-timeout",
            "-no-color",
            "-parallelism",
            "-state",
            "-state-out",
            "-var",
            "-var-file",
            "-ignore-remote-version",
        ],
    ),
    ("show", &["-json", "-no-color"]),
    ("output", &["-json", "-raw", "-no-color", "-state"]),
    (
        "validate",
        &["-json", "-no-color", "-no-tests", "-test-directory"],
    ),
    (
        "fmt",
        &[
            "-list",
            "-write",
            "-diff",
            "-check",
            "-recursive",
            "-no-color",
        ],
    ),
    ("force-unlock", &["-force"]),
];

/// The ones gateform does not take yet, or will not: `(command, flag, why)`.
const NOT_TAKEN: &[(&str, &str, &str)] = &[
    ("apply", "-backup", "the state keeps its own history"),
    ("destroy", "-backup", "the state keeps its own history"),
    (
        "apply",
        "-state-out",
        "the state is written where it is read",
    ),
    (
        "destroy",
        "-state-out",
        "the state is written where it is read",
    ),
    (
        "import",
        "-state-out",
        "the state is written where it is read",
    ),
    ("import", "-config", "the directory is the positional DIR"),
    ("import", "-parallelism", "an import makes one read"),
    ("import", "-ignore-remote-version", "no remote backend yet"),
    (
        "validate",
        "-no-tests",
        "gateform runs no .tftest.hcl files",
    ),
    (
        "validate",
        "-test-directory",
        "gateform runs no .tftest.hcl files",
    ),
    ("force-unlock", "-force", "force-unlock asks nothing"),
];

#[test]
fn every_flag_terraform_documents_is_taken_or_listed_as_not_taken() {
    let workspace = Workspace::empty("flags");
    for (command, flags) in TERRAFORM_FLAGS {
        let help = workspace
            .run_offline(&[command, "--help"])
            .expect_code(0)
            .stdout;
        for flag in *flags {
            let long = format!("-{flag}");
            // The flag's own line of the help: `--name`, or `-c, --name`, then its value or text.
            let listed = help.lines().any(|line| {
                let line = line.trim_start();
                let line = match line.split_once(", ") {
                    Some((short, rest)) if short.len() == 2 && short.starts_with('-') => rest,
                    _ => line,
                };
                line.strip_prefix(long.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '=', '<', '[']))
            });
            let not_taken = NOT_TAKEN
                .iter()
                .any(|(not_command, not_flag, _)| not_command == command && not_flag == flag);
            assert!(
                listed != not_taken,
                "`{command} {flag}`: {}",
                match listed {
                    true => "gateform takes it now: remove it from NOT_TAKEN",
                    false => "gateform does not take it: add it, or list it in NOT_TAKEN with why",
                }
            );
        }
    }
}

/// `--flag value` and `--flag` as Terraform writes them: `-flag=value` and `-flag`.
fn terraform_spelled(args: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut iter = args.iter().peekable();
    while let Some(arg) = iter.next() {
        match arg.strip_prefix("--") {
            Some(flag) => match iter.peek() {
                Some(value) if !value.starts_with('-') && flag != "detailed-exitcode" => {
                    out.push(format!("-{flag}={value}"));
                    iter.next();
                }
                _ => out.push(format!("-{flag}")),
            },
            None => out.push((*arg).to_owned()),
        }
    }
    out
}

#[test]
fn the_pull_request_workflow_of_the_docs_runs_with_terraforms_flags() {
    let doc =
        std::fs::read_to_string(crate::harness::fixture_dir("").join("../docs/pull-requests.md"))
            .unwrap();
    let workspace = Workspace::empty("repository");
    for dir in ["infra/api", "base/infra/api", "head/infra/api"] {
        std::fs::create_dir_all(workspace.dir.join(dir)).unwrap();
        crate::harness::copy_dir(
            &crate::harness::fixture_dir("seed-route-basic"),
            &workspace.dir.join(dir),
        );
    }
    workspace.edit("head/infra/api/main.hcl", "$default", "$connect");
    let chdir = format!(
        "-chdir={}",
        workspace.dir.file_name().unwrap().to_str().unwrap()
    );
    let mut ran = Vec::new();
    for line in doc
        .lines()
        .filter_map(|line| line.strip_prefix("$ gateform "))
    {
        // The command alone: no comment, pipe, redirection or continuation.
        let command = line.split(['#', '|', '>', '\\']).next().unwrap();
        let words: Vec<&str> = command.split_whitespace().collect();
        let spelled = terraform_spelled(&words);
        let mut args = vec![chdir.as_str()];
        args.extend(spelled.iter().map(String::as_str));
        let run = workspace.run(&args);
        assert!(
            matches!(run.code, 0 | 2),
            "`gateform {}` failed ({}):\n{}",
            spelled.join(" "),
            run.code,
            run.stderr
        );
        if spelled.iter().any(|arg| arg == "-format=json") {
            let _: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        }
        ran.push(spelled.join(" "));
    }
    assert_eq!(
        ran,
        [
            "plan infra/api -format=markdown",
            "diff base/infra/api head/infra/api -format=markdown -detailed-exitcode",
            "plan infra/api -format=json",
            "plan infra/api -out=api.tfplan",
            "show api.tfplan -format=markdown",
            "apply api.tfplan",
        ]
    );
    let state = workspace.dir.join("infra/api/gateform.db");
    assert!(state.exists(), "the saved plan was applied");
}

/// `-compact-warnings`: each warning as its summary and where it is, errors still in full.
#[test]
fn compact_warnings_are_one_line_each() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write("terraform.tfvars", "nope = 1\nother = 2\n");
    let plan = workspace
        .run_offline(&["plan", "DIR", "-refresh=false", "-compact-warnings"])
        .expect_code(0);
    let name = workspace.dir.file_name().unwrap().to_str().unwrap();
    assert_eq!(
        plan.stderr,
        format!(
            "\nWarnings:\n\n- a value was given for undeclared variable `nope`\n  on {name}/terraform.tfvars line 1\n- a value was given for undeclared variable `other`\n  on {name}/terraform.tfvars line 2\n\nTo see the full warning notes, run gateform without --compact-warnings.\n"
        )
    );
    assert!(plan.stdout.contains("Plan: 1 to add"), "{}", plan.stdout);
    let full = workspace
        .run_offline(&["plan", "DIR", "-refresh=false"])
        .expect_code(0);
    assert!(
        full.stderr.starts_with(&format!(
            "warning: a value was given for undeclared variable `nope`\n --> {name}/terraform.tfvars:1:1\n"
        )),
        "{}",
        full.stderr
    );
}

/// Each line of a machine-readable run, parsed, and their types.
fn ui_lines(stdout: &str) -> (Vec<serde_json::Value>, Vec<String>) {
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect();
    let types = lines
        .iter()
        .map(|line| line["type"].as_str().unwrap().to_owned())
        .collect();
    (lines, types)
}

/// `apply -json` and `destroy -json`: the plan's lines, a hook for each change as it starts and
/// completes, the summary and the outputs' values, as `terraform apply -json` prints them.
#[test]
fn apply_json_prints_terraforms_machine_readable_lines() {
    let workspace = Workspace::new("seed-route-basic");
    workspace.write(
        "outputs.hcl",
        "output \"api\" {\n  value = aws_apigatewayv2_api.example.name\n}\n",
    );
    // It cannot ask, so it is refused before anything is done, and says so on stdout as well.
    let refused = workspace.run(&["apply", "DIR", "-json"]).expect_code(1);
    let (lines, types) = ui_lines(&refused.stdout);
    assert_eq!(types, ["diagnostic"]);
    assert_eq!(lines[0]["@level"], "error");
    assert_eq!(
        lines[0]["diagnostic"]["summary"],
        "apply --json cannot ask for approval: add --auto-approve, or apply a saved plan"
    );
    assert!(workspace.aws().apis().is_empty());

    let apply = workspace
        .run(&["apply", "DIR", "-json", "-auto-approve"])
        .expect_code(0);
    let (lines, types) = ui_lines(&apply.stdout);
    assert_eq!(
        types,
        [
            "version",
            "planned_change",
            "planned_change",
            "change_summary",
            "apply_start",
            "apply_complete",
            "apply_start",
            "apply_complete",
            "change_summary",
            "outputs",
        ]
    );
    let api = workspace.state_id("aws_apigatewayv2_api.example");
    assert_eq!(
        lines[4]["@message"],
        "aws_apigatewayv2_api.example: Creating..."
    );
    assert_eq!(lines[4]["hook"]["action"], "create");
    assert_eq!(
        lines[4]["hook"]["resource"]["addr"],
        "aws_apigatewayv2_api.example"
    );
    assert_eq!(lines[5]["hook"]["id_key"], "id");
    assert_eq!(lines[5]["hook"]["id_value"], api.as_str());
    assert!(lines[5]["hook"]["elapsed_seconds"].is_u64());
    assert!(
        lines[5]["@message"]
            .as_str()
            .unwrap()
            .starts_with("aws_apigatewayv2_api.example: Creation complete after "),
        "{}",
        lines[5]
    );
    assert_eq!(
        lines[8]["changes"],
        serde_json::json!({"add": 2, "change": 0, "import": 0, "remove": 0, "operation": "apply"})
    );
    assert_eq!(
        lines[8]["@message"],
        "Apply complete! Resources: 2 added, 0 changed, 0 destroyed."
    );
    assert_eq!(
        lines[9]["outputs"],
        serde_json::json!({"api": {"sensitive": false, "type": "string", "value": "example-websocket-api"}})
    );
    assert!(!apply.stdout.contains("Apply complete!\n"), "no text lines");

    let destroy = workspace
        .run(&["destroy", "DIR", "-json", "-auto-approve"])
        .expect_code(0);
    let (lines, types) = ui_lines(&destroy.stdout);
    assert_eq!(
        types[3..],
        [
            "change_summary",
            "apply_start",
            "apply_complete",
            "apply_start",
            "apply_complete",
            "change_summary",
        ]
    );
    assert_eq!(lines[3]["changes"]["operation"], "destroy");
    assert_eq!(lines[4]["hook"]["action"], "delete");
    assert_eq!(
        lines[5]["hook"].get("id_value"),
        None,
        "a deleted object has no id"
    );
    assert_eq!(
        lines[8]["@message"],
        "Destroy complete! Resources: 2 destroyed."
    );
}

/// A configuration that does not load: with `-json`, each problem is a `diagnostic` line on
/// stdout, with validate --json's fields, as well as the usual text on stderr.
#[test]
fn plan_json_reports_problems_as_diagnostic_lines() {
    let workspace = Workspace::new("invalid-misspelled-attribute");
    let plan = workspace
        .run_offline(&["plan", "DIR", "-json"])
        .expect_code(1);
    let (lines, types) = ui_lines(&plan.stdout);
    assert!(
        !types.is_empty() && types.iter().all(|t| t == "diagnostic"),
        "{types:?}"
    );
    let diagnostic = &lines[0]["diagnostic"];
    assert_eq!(lines[0]["@level"], "error");
    assert_eq!(
        lines[0]["@message"],
        format!("Error: {}", diagnostic["summary"].as_str().unwrap())
    );
    assert!(diagnostic["range"]["filename"].is_string(), "{diagnostic}");
    assert!(plan.stderr.starts_with("error: "), "{}", plan.stderr);
}
