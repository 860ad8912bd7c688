//! Dependency graphs: the order the planner walks the configuration in, and the ordered graph
//! apply builds its steps on.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use petgraph::graph::{DiGraph, NodeIndex};

use crate::addr::Address;
use crate::diag::{Diagnostic, Diagnostics};
use crate::resolve::Desired;

/// The configuration's resources, with an edge from each resource to every resource that depends on it.
#[derive(Debug)]
pub struct DepGraph {
    order: Vec<Address>,
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

/// A petgraph graph keyed by node value.
pub struct Graph<N: Ord + Clone> {
    graph: DiGraph<N, ()>,
    index: BTreeMap<N, NodeIndex>,
    /// Its edges, so that adding one twice is found without scanning the node's edges (an api
    /// has an edge to each of its routes and integrations).
    edges: HashSet<(NodeIndex, NodeIndex)>,
}

impl<N: Ord + Clone> Default for Graph<N> {
    fn default() -> Self {
        Graph {
            graph: DiGraph::new(),
            index: BTreeMap::new(),
            edges: HashSet::new(),
        }
    }
}

impl<N: Ord + Clone> Graph<N> {
    pub fn node(&mut self, node: N) -> NodeIndex {
        if let Some(index) = self.index.get(&node) {
            return *index;
        }
        let index = self.graph.add_node(node.clone());
        self.index.insert(node, index);
        index
    }

    pub fn edge(&mut self, from: N, to: N) {
        let (from, to) = (self.node(from), self.node(to));
        if self.edges.insert((from, to)) {
            self.graph.add_edge(from, to, ());
        }
    }

    /// The nodes with an edge from `node`.
    pub fn successors(&self, node: &N) -> impl Iterator<Item = &N> {
        self.index.get(node).into_iter().flat_map(|index| {
            self.graph
                .neighbors_directed(*index, petgraph::Outgoing)
                .map(|next| &self.graph[next])
        })
    }

    /// A topological order that is the same on every run: among the nodes that are ready, the
    /// smallest comes first. Nodes on a cycle cannot be ordered and are returned apart.
    pub fn order(&self) -> (Vec<N>, Vec<N>) {
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
