//! fixtures/real-world/: configurations in the shapes public Terraform configurations for API
//! Gateway v2 take, each in two variants. `terraform/` is as its authors have it, with their
//! Lambda, IAM and log-group resources: gateform names each of those types once, and nothing
//! else. `gateform/` takes what Terraform keeps through variables: it validates,
//! plans, and, unless its SOURCE.md says "Moto: cannot apply", applies, re-plans empty and
//! destroys. Each one is in us-east-1, as its authors have it.

use crate::harness::{Workspace, fixture_dir};

/// Every configuration of fixtures/real-world, by name.
fn configurations() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture_dir("real-world"))
        .expect("fixtures/real-world")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn issue_11_each_configuration_says_what_it_models() {
    let repository = regex::Regex::new(r"`[\w.-]+/[\w.-]+`").unwrap();
    for name in configurations() {
        let source = std::fs::read_to_string(fixture_dir(&format!("real-world/{name}/SOURCE.md")))
            .unwrap_or_else(|_| panic!("{name} has no SOURCE.md"));
        assert!(
            repository.is_match(&source) && source.contains("What it exercises"),
            "{name}/SOURCE.md names no repository or what it exercises"
        );
    }
}

#[test]
fn issue_11_as_their_authors_have_them_only_terraforms_resources_are_errors() {
    for name in configurations() {
        let workspace = Workspace::new(&format!("real-world/{name}/terraform"));
        let validate = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
        let errors: Vec<&str> = validate
            .stderr
            .lines()
            .filter(|line| line.starts_with("error: "))
            .collect();
        assert!(!errors.is_empty(), "{name}: {}", validate.stderr);
        for error in &errors {
            assert!(
                error.starts_with("error: gateform manages API Gateway v2, not `"),
                "{name}: {error}\n{}",
                validate.stderr
            );
        }
        let mut types = errors.clone();
        types.dedup();
        assert_eq!(types, errors, "{name}: one error per type");
    }
}

#[test]
fn issue_11_with_terraforms_values_passed_in_they_apply_replan_empty_and_destroy() {
    for name in configurations() {
        let workspace = Workspace::new(&format!("real-world/{name}/gateform"));
        workspace.run_offline(&["validate", "DIR"]).expect_code(0);
        let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
        assert!(
            plan.stdout.contains(" to add, 0 to change, 0 to destroy."),
            "{name}: {}",
            plan.stdout
        );
        let source =
            std::fs::read_to_string(fixture_dir(&format!("real-world/{name}/SOURCE.md"))).unwrap();
        if source.contains("Moto: cannot apply") {
            continue;
        }
        workspace.converge();
        assert!(
            !workspace.aws_in("us-east-1").apis().is_empty(),
            "{name} made no api"
        );
        workspace
            .run(&["destroy", "DIR", "--auto-approve"])
            .expect_code(0);
        assert_eq!(
            workspace.aws_in("us-east-1").apis().len(),
            0,
            "{name} left apis behind"
        );
    }
}
