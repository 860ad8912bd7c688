//! Dependency graphs: the order the planner walks the configuration in, and the order apply
//! performs a plan's steps in.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::{DiGraph, NodeIndex};

use crate::addr::Address;
use crate::diag::{Diagnostic, Diagnostics};
use crate::plan::{Action, Plan, ReplaceOrder};
use crate::resolve::Desired;

/// The configuration's resources, with an edge from each resource to every resource that depends on it.
#[derive(Debug)]
pub struct DepGraph {
    order: Vec<Address>,
}

/// One call's worth of work for apply.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// Deletes come first among the steps that are ready, so a replacement frees names before
    /// anything new needs them.
    Delete(Address),
    Create(Address),
    Update(Address),
}

impl Step {
    pub fn address(&self) -> &Address {
        match self {
            Step::Delete(address) | Step::Create(address) | Step::Update(address) => address,
        }
    }
}

/// Builds the graph of the desired resources. A cycle is an error naming every resource on it.
pub fn build(desired: &Desired) -> Result<DepGraph, Diagnostics> {
    let mut graph = Graph::default();
    for (address, resource) in &desired.resources {
        graph.node(address.clone());
        for dependency in &resource.dependencies {
            graph.edge(dependency.clone(), address.clone());
        }
    }
    let mut diagnostics = Diagnostics::default();
    for component in petgraph::algo::tarjan_scc(&graph.graph) {
        if component.len() < 2 {
            continue;
        }
        let mut members: Vec<&Address> =
            component.iter().map(|index| &graph.graph[*index]).collect();
        members.sort();
        let listed = members
            .iter()
            .map(|address| format!("`{address}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let first = &desired.resources[members[0]];
        diagnostics.push(
            Diagnostic::error(format!("dependency cycle between {listed}"))
                .at(first.config.span.clone())
                .hint("each of these resources depends on the next through a reference or `depends_on`; remove one of them"),
        );
    }
    // Nodes on a cycle are left out of the order; the cycle is reported above.
    let (order, _) = graph.order();
    diagnostics.into_result(DepGraph { order })
}

impl DepGraph {
    /// Every resource after the resources it depends on.
    pub fn order(&self) -> &[Address] {
        &self.order
    }
}

/// The steps that carry out `plan`, in an order that respects every dependency: a resource is created
/// or updated after what it depends on, deleted before what it depended on, and a replaced resource
/// is deleted before it is created again.
pub fn apply_steps(plan: &Plan) -> Result<Vec<Step>, StepCycle> {
    let mut graph = Graph::<Step>::default();
    let mut steps_of: BTreeMap<&Address, Vec<Step>> = BTreeMap::new();
    for change in &plan.changes {
        let address = change.address.clone();
        let steps = match change.action {
            Action::NoOp => vec![],
            Action::Create => vec![Step::Create(address)],
            Action::Update => vec![Step::Update(address)],
            Action::Delete => vec![Step::Delete(address)],
            Action::Replace(ReplaceOrder::DeleteThenCreate) => {
                vec![Step::Delete(address.clone()), Step::Create(address)]
            }
            Action::Replace(ReplaceOrder::CreateThenDelete) => {
                vec![Step::Create(address.clone()), Step::Delete(address)]
            }
        };
        for step in &steps {
            graph.node(step.clone());
        }
        match steps.as_slice() {
            [delete @ Step::Delete(_), create @ Step::Create(_)] => {
                graph.edge(delete.clone(), create.clone())
            }
            [create @ Step::Create(_), delete @ Step::Delete(_)] => {
                graph.edge(create.clone(), delete.clone())
            }
            _ => {}
        }
        steps_of.insert(&change.address, steps);
    }
    let steps = |address: &Address| steps_of.get(address).map_or(&[][..], Vec::as_slice);
    for change in &plan.changes {
        for mine in steps(&change.address) {
            match mine {
                Step::Create(_) | Step::Update(_) => {
                    for dependency in &change.dependencies {
                        for theirs in steps(dependency) {
                            if !matches!(theirs, Step::Delete(_)) {
                                graph.edge(theirs.clone(), mine.clone());
                            }
                        }
                    }
                    // Stop using what is going away for good before it goes. What is replaced
                    // instead goes first, since the update needs its successor.
                    for dependency in &change.prior_dependencies {
                        if let (Step::Update(_), [gone @ Step::Delete(_)]) =
                            (mine, steps(dependency))
                        {
                            graph.edge(mine.clone(), gone.clone());
                        }
                    }
                }
                Step::Delete(_) => {
                    for dependency in &change.prior_dependencies {
                        for theirs in steps(dependency) {
                            if matches!(theirs, Step::Delete(_)) {
                                graph.edge(mine.clone(), theirs.clone());
                            }
                        }
                    }
                }
            }
        }
    }
    match graph.order() {
        (order, left_out) if left_out.is_empty() => Ok(order),
        (_, left_out) => Err(StepCycle(left_out)),
    }
}

/// Steps of a plan that depend on each other in a circle, so no order can carry them out. Apply
/// refuses such a plan as a whole rather than carry out part of it.
#[derive(Debug, thiserror::Error)]
#[error(
    "the plan's steps cannot be ordered: {} depend on each other in a circle",
    .0.iter().map(|step| format!("`{}`", step.address())).collect::<Vec<_>>().join(", ")
)]
pub struct StepCycle(pub Vec<Step>);

/// A petgraph graph keyed by node value.
struct Graph<N: Ord + Clone> {
    graph: DiGraph<N, ()>,
    index: BTreeMap<N, NodeIndex>,
}

impl<N: Ord + Clone> Default for Graph<N> {
    fn default() -> Self {
        Graph {
            graph: DiGraph::new(),
            index: BTreeMap::new(),
        }
    }
}

impl<N: Ord + Clone> Graph<N> {
    fn node(&mut self, node: N) -> NodeIndex {
        if let Some(index) = self.index.get(&node) {
            return *index;
        }
        let index = self.graph.add_node(node.clone());
        self.index.insert(node, index);
        index
    }

    fn edge(&mut self, from: N, to: N) {
        let (from, to) = (self.node(from), self.node(to));
        self.graph.update_edge(from, to, ());
    }

    /// A topological order that is the same on every run: among the nodes that are ready, the
    /// smallest comes first. Nodes on a cycle cannot be ordered and are returned apart.
    fn order(&self) -> (Vec<N>, Vec<N>) {
        let mut waiting: BTreeMap<NodeIndex, usize> = self
            .graph
            .node_indices()
            .map(|index| {
                (
                    index,
                    self.graph
                        .neighbors_directed(index, petgraph::Incoming)
                        .count(),
                )
            })
            .collect();
        let mut ready: BTreeSet<(&N, NodeIndex)> = waiting
            .iter()
            .filter(|(_, count)| **count == 0)
            .map(|(index, _)| (&self.graph[*index], *index))
            .collect();
        let mut order = Vec::with_capacity(self.graph.node_count());
        while let Some((node, index)) = ready.pop_first() {
            order.push(node.clone());
            for next in self.graph.neighbors_directed(index, petgraph::Outgoing) {
                let count = waiting.get_mut(&next).expect("every node has a count");
                *count -= 1;
                if *count == 0 {
                    ready.insert((&self.graph[next], next));
                }
            }
        }
        let left_out = waiting
            .into_iter()
            .filter(|(_, count)| *count > 0)
            .map(|(index, _)| self.graph[index].clone())
            .collect();
        (order, left_out)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::plan::{Mode, ResourceChange};

    fn change(address: &str, action: Action, depends_on: &[&str]) -> ResourceChange {
        let dependencies: BTreeSet<Address> =
            depends_on.iter().map(|a| a.parse().unwrap()).collect();
        ResourceChange {
            address: address.parse().unwrap(),
            action,
            before: Some(Default::default()),
            after: Some(Default::default()),
            reason: None,
            replace_paths: BTreeSet::new(),
            dependencies: dependencies.clone(),
            prior_dependencies: dependencies,
            moved_from: None,
            forget: false,
            sensitive: BTreeSet::new(),
            importing: false,
        }
    }

    fn steps(changes: Vec<ResourceChange>) -> Vec<String> {
        let plan = Plan {
            mode: Mode::Normal,
            refreshed: false,
            drift: Vec::new(),
            changes,
            prior: Default::default(),
            assumed_base: None,
            targets: Vec::new(),
            outputs: Default::default(),
            deposed: Vec::new(),
        };
        apply_steps(&plan)
            .unwrap()
            .iter()
            .map(|step| match step {
                Step::Delete(address) => format!("delete {address}"),
                Step::Create(address) => format!("create {address}"),
                Step::Update(address) => format!("update {address}"),
            })
            .collect()
    }

    #[test]
    fn a_replaced_api_takes_its_routes_down_first_and_up_last() {
        let replace = Action::Replace(ReplaceOrder::DeleteThenCreate);
        let api = "aws_apigatewayv2_api.a";
        assert_eq!(
            steps(vec![
                change(api, replace, &[]),
                change("aws_apigatewayv2_route.r1", replace, &[api]),
                change("aws_apigatewayv2_route.r2", replace, &[api]),
            ]),
            [
                "delete aws_apigatewayv2_route.r1",
                "delete aws_apigatewayv2_route.r2",
                "delete aws_apigatewayv2_api.a",
                "create aws_apigatewayv2_api.a",
                "create aws_apigatewayv2_route.r1",
                "create aws_apigatewayv2_route.r2",
            ]
        );
    }

    #[test]
    fn a_replaced_integration_goes_first_and_the_route_then_targets_its_successor() {
        let integration = "aws_apigatewayv2_integration.i";
        assert_eq!(
            steps(vec![
                change(
                    integration,
                    Action::Replace(ReplaceOrder::DeleteThenCreate),
                    &[]
                ),
                change("aws_apigatewayv2_route.r", Action::Update, &[integration]),
            ]),
            [
                "delete aws_apigatewayv2_integration.i",
                "create aws_apigatewayv2_integration.i",
                "update aws_apigatewayv2_route.r",
            ]
        );
    }

    #[test]
    fn a_route_stops_using_an_integration_before_it_is_deleted_for_good() {
        let integration = "aws_apigatewayv2_integration.i";
        assert_eq!(
            steps(vec![
                change(integration, Action::Delete, &[]),
                change("aws_apigatewayv2_route.r", Action::Update, &[integration]),
            ]),
            [
                "update aws_apigatewayv2_route.r",
                "delete aws_apigatewayv2_integration.i"
            ]
        );
    }

    #[test]
    fn no_op_changes_make_no_steps_but_still_order_others() {
        let api = "aws_apigatewayv2_api.a";
        assert_eq!(
            steps(vec![
                change(api, Action::NoOp, &[]),
                change("aws_apigatewayv2_route.gone", Action::Delete, &[api]),
                change("aws_apigatewayv2_route.new", Action::Create, &[api]),
            ]),
            [
                "delete aws_apigatewayv2_route.gone",
                "create aws_apigatewayv2_route.new"
            ]
        );
    }
}
