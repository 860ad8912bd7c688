//! `aws_apigatewayv2_routing_rule` in AWS: CreateRoutingRule, PutRoutingRule (the whole rule, as
//! the provider sends it), DeleteRoutingRule, ListRoutingRules of each domain name.

use aws_sdk_apigatewayv2::types::{
    RoutingRuleAction, RoutingRuleActionInvokeApi, RoutingRuleCondition, RoutingRuleMatchBasePaths,
    RoutingRuleMatchHeaderValue, RoutingRuleMatchHeaders,
};

use super::{
    Aws, Failure, Listed, Parents, Resource, first_block, flag, integer, list_all, listed, object,
    send, single, string, strings, text, texts, whole,
};
use crate::value::{Object, Value, block_elements};

pub struct RoutingRule;

/// A routing rule as AWS reports it, from a ListRoutingRules item or a CreateRoutingRule answer.
macro_rules! attributes {
    ($rule:expr) => {{
        let rule = $rule;
        let actions = rule
            .actions()
            .iter()
            .map(|action| {
                let invoke = action.invoke_api().map(|invoke| {
                    object([
                        ("api_id", invoke.api_id().map(text)),
                        ("stage", invoke.stage().map(text)),
                        ("strip_base_path", invoke.strip_base_path().map(Value::Bool)),
                    ])
                });
                Value::Map(object([("invoke_api", single(invoke))]))
            })
            .collect();
        let conditions = rule
            .conditions()
            .iter()
            .map(|condition| {
                let base_paths = condition
                    .match_base_paths()
                    .map(|paths| object([("any_of", texts(paths.any_of()))]));
                let headers = condition.match_headers().map(|headers| {
                    let any_of = headers.any_of().first().map(|value| {
                        object([
                            ("header", value.header().map(text)),
                            ("value_glob", value.value_glob().map(text)),
                        ])
                    });
                    object([("any_of", single(any_of))])
                });
                Value::Map(object([
                    ("match_base_paths", single(base_paths)),
                    ("match_headers", single(headers)),
                ]))
            })
            .collect();
        object([
            ("action", Some(Value::List(actions))),
            ("condition", Some(Value::List(conditions))),
            ("id", rule.routing_rule_id().map(text)),
            ("priority", rule.priority().map(whole)),
            ("routing_rule_arn", rule.routing_rule_arn().map(text)),
            ("routing_rule_id", rule.routing_rule_id().map(text)),
        ])
    }};
}

#[async_trait::async_trait]
impl Resource for RoutingRule {
    async fn create(&self, aws: &Aws, config: &Object) -> Result<Object, Failure> {
        let request = aws
            .once
            .create_routing_rule()
            .set_domain_name(string(config, "domain_name"))
            .set_priority(integer(config, "priority"))
            .set_actions(Some(actions(config)))
            .set_conditions(Some(conditions(config)));
        let output = send("CreateRoutingRule", request.send()).await?;
        Ok(attributes!(&output))
    }

    async fn update(&self, aws: &Aws, prior: &Object, config: &Object) -> Result<(), Failure> {
        let request = aws
            .client
            .put_routing_rule()
            .set_domain_name(string(prior, "domain_name"))
            .set_routing_rule_id(string(prior, "id"))
            .set_priority(integer(config, "priority"))
            .set_actions(Some(actions(config)))
            .set_conditions(Some(conditions(config)));
        send("PutRoutingRule", request.send()).await?;
        Ok(())
    }

    async fn delete(&self, aws: &Aws, prior: &Object) -> Result<(), Failure> {
        let request = aws
            .client
            .delete_routing_rule()
            .set_domain_name(string(prior, "domain_name"))
            .set_routing_rule_id(string(prior, "id"));
        send("DeleteRoutingRule", request.send()).await?;
        Ok(())
    }

    async fn list(&self, aws: &Aws, parents: &Parents) -> Result<Vec<Listed>, Failure> {
        let domain_name = parents.get("domain_name");
        list_all!(
            "ListRoutingRules",
            aws.client.list_routing_rules().domain_name(domain_name),
            routing_rules,
            |rule| listed(attributes!(rule), None)
        )
    }
}

/// The `action` blocks as AWS takes them.
fn actions(config: &Object) -> Vec<RoutingRuleAction> {
    block_elements(config, "action")
        .into_iter()
        .map(|action| {
            let invoke = first_block(action, "invoke_api").map(|invoke| {
                RoutingRuleActionInvokeApi::builder()
                    .set_api_id(string(invoke, "api_id"))
                    .set_stage(string(invoke, "stage"))
                    .set_strip_base_path(flag(invoke, "strip_base_path"))
                    .build()
            });
            RoutingRuleAction::builder().set_invoke_api(invoke).build()
        })
        .collect()
}

/// The `condition` blocks as AWS takes them.
fn conditions(config: &Object) -> Vec<RoutingRuleCondition> {
    block_elements(config, "condition")
        .into_iter()
        .map(|condition| {
            let base_paths = first_block(condition, "match_base_paths").map(|paths| {
                RoutingRuleMatchBasePaths::builder()
                    .set_any_of(strings(paths, "any_of"))
                    .build()
            });
            let headers = first_block(condition, "match_headers").map(|headers| {
                let any_of = first_block(headers, "any_of").map(|value| {
                    RoutingRuleMatchHeaderValue::builder()
                        .set_header(string(value, "header"))
                        .set_value_glob(string(value, "value_glob"))
                        .build()
                });
                RoutingRuleMatchHeaders::builder()
                    .set_any_of(any_of.map(|value| vec![value]))
                    .build()
            });
            RoutingRuleCondition::builder()
                .set_match_base_paths(base_paths)
                .set_match_headers(headers)
                .build()
        })
        .collect()
}
