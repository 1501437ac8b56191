//! Pictures of the mount path: for each target that did not pass (every target with
//! `--show-passed`), the part of the joined estate its checks walked, drawn as Graphviz DOT or a
//! Mermaid flowchart, with every node and edge a finding blames drawn red and labelled with the
//! rule id.
//!
//! The path follows the order in which a mount crosses the estate: the task (a service or a task
//! definition) -> its subnets (CIDR, AZ id), with their route table and network ACL -> the mount
//! target of that AZ (IP address) with its security groups, its own subnet and that subnet's ACL
//! -> the file system -> the access point -> the IAM decision (task role, file-system policy).
//! Four flows are drawn as labelled edges: NFS on TCP 2049 with the replies on the client ports
//! (task subnet <-> mount target), the DNS lookup of the file system's name (task subnet -> VPC
//! resolver -> mount target), the IAM decision (access point or file system -> file-system
//! policy and task role), and a missing link (task subnet -> file system when its AZ has no mount
//! target).
//!
//! Blame comes from the findings alone: a finding names the AWS id most to blame (`resource`)
//! and its volume; the node with that id turns red, and so does each flow whose hops include it.
//! A finding whose resource is not drawn (a container, a service ARN, a KMS key) is written on
//! the node of its family (the task, the file system, the VPC resolver, the file-system policy)
//! with the id it names. Targets whose pictures are the same apart from the task are drawn once,
//! with one task node that lists them all; resources shared by several paths are drawn once.
//!
//! Depends on the graph's domain queries, the targets and the finished report; writes text only.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use dot_writer::{Attributes, DotWriter};

use crate::graph::Graph;
use crate::report::Report;
use crate::rules::{Finding, Status};
use crate::snapshot::{IpPermission, NetworkAcl, RouteTable, SecurityGroup};
use crate::target::{Launch, Target, TargetKind};

/// The picture formats `--graph` writes, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureFormat {
    /// Graphviz DOT (`.dot`, `.gv`).
    Dot,
    /// A Mermaid flowchart (`.mmd`, `.mermaid`).
    Mermaid,
}

/// A `--graph` file name whose extension names no picture format.
#[derive(Debug, thiserror::Error)]
#[error("{0}: the file name must end in .dot (Graphviz) or .mmd (Mermaid)")]
pub struct UnknownPictureFormat(pub String);

impl PictureFormat {
    /// The format for a file name, from its extension.
    pub fn from_path(path: &Path) -> Result<Self, UnknownPictureFormat> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("dot" | "gv") => Ok(PictureFormat::Dot),
            Some("mmd" | "mermaid") => Ok(PictureFormat::Mermaid),
            _ => Err(UnknownPictureFormat(path.display().to_string())),
        }
    }
}

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum NodeKind {
    Task,
    Subnet,
    SecurityGroup,
    RouteTable,
    NetworkAcl,
    Resolver,
    MountTarget,
    FileSystem,
    AccessPoint,
    Role,
    Policy,
}

/// What an edge stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum EdgeKind {
    /// A resource attached to another (task -> subnet, subnet -> ACL, mount target -> SG).
    Link,
    /// NFS on TCP 2049 and its replies, task subnet <-> mount target.
    Nfs,
    /// The DNS lookup of the file system's name.
    Dns,
    /// The IAM decision on `ClientMount`.
    Iam,
    /// No usable mount target for the task subnet: subnet -> file system.
    Missing,
}

impl EdgeKind {
    /// Whether a finding of this rule judges an edge of this kind.
    fn judged_by(self, rule: &str) -> bool {
        match self {
            EdgeKind::Link => false,
            EdgeKind::Nfs => {
                rule.starts_with("NET") && !matches!(rule, "NET001" | "NET003" | "NET004")
            }
            EdgeKind::Dns => rule.starts_with("DNS"),
            EdgeKind::Iam => rule.starts_with("IAM"),
            EdgeKind::Missing => matches!(rule, "NET001" | "NET003" | "NET004"),
        }
    }
}

/// A finding drawn on a node or edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Blame {
    rule: &'static str,
    status: Status,
    /// The resource the finding names, when the node's title does not show it.
    resource: Option<String>,
}

impl Blame {
    fn text(&self) -> String {
        let mut s = format!("{} {}", self.rule, self.status.as_str());
        if let Some(r) = &self.resource {
            let _ = write!(s, ": {r}");
        }
        s
    }
}

#[derive(Debug, Clone)]
struct PNode {
    key: String,
    kind: NodeKind,
    title: String,
    lines: Vec<String>,
    vpc: Option<String>,
    az: Option<String>,
    blame: BTreeSet<Blame>,
}

impl PNode {
    fn new(key: impl Into<String>, kind: NodeKind, title: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            kind,
            title: title.into(),
            lines: Vec::new(),
            vpc: None,
            az: None,
            blame: BTreeSet::new(),
        }
    }

    fn line(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !self.lines.contains(&text) {
            self.lines.push(text);
        }
    }

    fn worst(&self) -> Option<Status> {
        self.blame.iter().map(|b| b.status).min()
    }
}

#[derive(Debug, Clone)]
struct PEdge {
    from: String,
    to: String,
    kind: EdgeKind,
    label: String,
    /// The volume the edge belongs to (`None`: every volume).
    volume: Option<String>,
    /// The resources the flow crosses: a finding blaming one of them blames the flow.
    hops: Vec<String>,
    blame: BTreeSet<Blame>,
}

impl PEdge {
    fn worst(&self) -> Option<Status> {
        self.blame.iter().map(|b| b.status).min()
    }

    fn key(&self) -> EdgeKey {
        (
            self.from.clone(),
            self.to.clone(),
            self.kind,
            self.label.clone(),
        )
    }
}

/// The picture of one path: the targets that share it, and its nodes and edges.
#[derive(Debug, Clone, Default)]
struct PathPicture {
    /// Labels of the targets drawn by this path (`cluster/name`).
    targets: Vec<String>,
    nodes: Vec<PNode>,
    edges: Vec<PEdge>,
    /// Node positions by key, and edge positions by key: the picture of a whole organisation
    /// holds thousands of each.
    node_ix: HashMap<String, usize>,
    edge_ix: HashMap<EdgeKey, usize>,
    /// Drawn bare: every node and edge, with node titles and edge labels but without the
    /// other lines of a node and without blame. Its Mermaid text is never longer than the full
    /// picture's: a cheap lower bound of a flowchart's length.
    bare: bool,
}

/// What makes two edges one: their ends, kind and label.
type EdgeKey = (String, String, EdgeKind, String);

/// The key of the task node of a path.
const TASK: &str = "task";

/// Nodes and edges of a picture up to this many are found by a scan, not an index.
const SCANNED: usize = 64;

impl PathPicture {
    /// The path as a Mermaid flowchart.
    fn mermaid(&self) -> String {
        to_mermaid(&Merged {
            nodes: &self.nodes,
            edges: &self.edges,
        })
    }

    fn node_index(&self, key: &str) -> Option<usize> {
        if self.node_ix.is_empty() {
            self.nodes.iter().position(|n| n.key == key)
        } else {
            self.node_ix.get(key).copied()
        }
    }

    fn has(&self, key: &str) -> bool {
        self.node_index(key).is_some()
    }

    /// Adds a node unless one with the key is drawn; returns it.
    fn node(&mut self, node: PNode) -> &mut PNode {
        let i = match self.node_index(&node.key) {
            Some(i) => i,
            None => {
                // A target's path has a few dozen nodes, found by a scan; the picture of a
                // whole organisation thousands, found through an index built once it grows.
                if !self.node_ix.is_empty() {
                    self.node_ix.insert(node.key.clone(), self.nodes.len());
                } else if self.nodes.len() >= SCANNED {
                    self.node_ix = self
                        .nodes
                        .iter()
                        .chain([&node])
                        .enumerate()
                        .map(|(i, n)| (n.key.clone(), i))
                        .collect();
                }
                self.nodes.push(node);
                self.nodes.len() - 1
            }
        };
        &mut self.nodes[i]
    }

    fn node_mut(&mut self, key: &str) -> Option<&mut PNode> {
        let i = self.node_index(key)?;
        self.nodes.get_mut(i)
    }

    fn edge(&mut self, edge: PEdge) {
        let found = if self.edge_ix.is_empty() {
            self.edges.iter().position(|e| {
                e.kind == edge.kind
                    && e.from == edge.from
                    && e.to == edge.to
                    && e.label == edge.label
            })
        } else {
            self.edge_ix.get(&edge.key()).copied()
        };
        if let Some(e) = found.and_then(|i| self.edges.get_mut(i)) {
            for h in edge.hops {
                if !e.hops.contains(&h) {
                    e.hops.push(h);
                }
            }
            e.blame.extend(edge.blame);
        } else {
            if !self.edge_ix.is_empty() {
                self.edge_ix.insert(edge.key(), self.edges.len());
            } else if self.edges.len() >= SCANNED {
                self.edge_ix = self
                    .edges
                    .iter()
                    .chain([&edge])
                    .enumerate()
                    .map(|(i, e)| (e.key(), i))
                    .collect();
            }
            self.edges.push(edge);
        }
    }

    /// At most the length in characters of [`PathPicture::mermaid`], worked out without
    /// writing it: the header, the class definitions, and each node and edge line at its
    /// least indentation (no subgraph lines, no class or link styles).
    fn mermaid_len_at_least(&self) -> usize {
        let digits = |i: usize| i.checked_ilog10().map_or(1, |d| d as usize + 1);
        // `"label"` of lines escaped and joined by `<br/>`.
        let label = |lines: &mut dyn Iterator<Item = &str>| {
            let mut n = 0;
            let mut count: usize = 0;
            for line in lines {
                n += mermaid_escaped_len(line);
                count += 1;
            }
            n + 5 * count.saturating_sub(1)
        };
        let mut len = MERMAID_HEAD.len() + MERMAID_CLASSES.len();
        for (i, n) in self.nodes.iter().enumerate() {
            let blame: Vec<String> = n.blame.iter().map(Blame::text).collect();
            let text = label(
                &mut std::iter::once(n.title.as_str())
                    .chain(blame.iter().map(String::as_str))
                    .chain(n.lines.iter().map(String::as_str)),
            );
            // `  nI["text"]`
            len += 2 + 1 + digits(i) + 2 + text + 2 + 1;
        }
        for e in &self.edges {
            let (Some(from), Some(to)) = (self.node_index(&e.from), self.node_index(&e.to)) else {
                continue;
            };
            let arrow = match e.kind {
                EdgeKind::Link | EdgeKind::Iam => 3,
                EdgeKind::Nfs | EdgeKind::Dns | EdgeKind::Missing => 4,
            };
            // `  nF ARROW nT` or `  nF ARROW|"text"| nT`
            len += 2 + 1 + digits(from) + 1 + arrow + 2 + digits(to) + 1;
            let blame: Vec<String> = e.blame.iter().map(Blame::text).collect();
            let lines = Some(e.label.as_str())
                .filter(|l| !l.is_empty())
                .into_iter()
                .chain(blame.iter().map(String::as_str));
            let mut lines = lines.peekable();
            if lines.peek().is_some() {
                len += 2 + label(&mut lines) + 2;
            }
        }
        len
    }

    /// Everything but the task node's title and lines: two targets with the same signature
    /// share one path.
    fn signature(&self) -> String {
        let mut parts: Vec<String> = self
            .nodes
            .iter()
            .map(|n| {
                if n.key == TASK {
                    format!("{}|{:?}", n.key, n.blame)
                } else {
                    format!("{}|{:?}|{:?}|{:?}", n.key, n.lines, n.blame, n.title)
                }
            })
            .collect();
        parts.extend(
            self.edges
                .iter()
                .map(|e| format!("{:?}|{:?}", e.key(), e.blame)),
        );
        parts.sort();
        parts.join("\n")
    }
}

/// The pictures of a run: one path per group of targets that share it.
#[derive(Debug, Clone, Default)]
pub struct Pictures {
    paths: Vec<PathPicture>,
}

/// One estate of a run as the pictures see it: its joined state, its targets, and the report
/// index of its first target.
#[derive(Clone, Copy)]
pub struct EstateView<'a> {
    /// The joined estate.
    pub graph: &'a Graph<'a>,
    /// Its targets.
    pub targets: &'a [Target<'a>],
    /// Index of `targets[0]` in the report's target list.
    pub first_target: usize,
}

impl Pictures {
    /// Draws the non-passing targets of a report (every target with `show_passed`), estate by
    /// estate; the estates' targets are indexed as `Finding::target`.
    pub fn build(report: &Report, estates: &[EstateView<'_>], show_passed: bool) -> Self {
        let mut by_target: Vec<Vec<&Finding>> = vec![Vec::new(); report.targets.len()];
        for f in &report.findings {
            if let Some(list) = by_target.get_mut(f.target) {
                list.push(f);
            }
        }
        let mut paths: Vec<PathPicture> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut drawn: HashMap<DrawInputs<'_>, usize> = HashMap::new();
        let empty: Vec<&Finding> = Vec::new();
        for (graph, target, findings) in estates.iter().flat_map(|e| {
            e.targets.iter().enumerate().map(|(i, t)| {
                (
                    e.graph,
                    t,
                    by_target.get(e.first_target + i).unwrap_or(&empty),
                )
            })
        }) {
            let failing = findings.iter().any(|f| f.status != Status::Pass);
            if !failing && !show_passed {
                continue;
            }
            // Targets with the same inputs draw the same path: draw it once.
            let inputs = DrawInputs::of(graph, target, findings);
            if let Some(&i) = drawn.get(&inputs) {
                paths[i].targets.push(target.label());
                continue;
            }
            let path = draw_target(graph, target, findings);
            let signature = path.signature();
            let i = match index.get(&signature) {
                Some(&i) => {
                    paths[i].targets.push(target.label());
                    i
                }
                None => {
                    index.insert(signature, paths.len());
                    paths.push(path);
                    paths.len() - 1
                }
            };
            drawn.insert(inputs, i);
        }
        for path in &mut paths {
            retitle(path);
        }
        Self { paths }
    }

    /// Whether nothing is drawn (every target passed).
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// The labels of the targets drawn, per path.
    pub fn targets(&self) -> Vec<Vec<String>> {
        self.paths.iter().map(|p| p.targets.clone()).collect()
    }

    /// The whole picture in a format.
    pub fn render(&self, format: PictureFormat) -> String {
        let mut merged = self.merged();
        if merged.nodes.is_empty() {
            merged.nodes.push(PNode::new(
                TASK,
                NodeKind::Task,
                "every target passed: nothing to draw",
            ));
        }
        let merged = Merged {
            nodes: &merged.nodes,
            edges: &merged.edges,
        };
        match format {
            PictureFormat::Dot => to_dot(&merged),
            PictureFormat::Mermaid => to_mermaid(&merged),
        }
    }

    /// One Mermaid flowchart per path, with the labels of the targets it draws.
    pub fn mermaid_per_path(&self) -> Vec<(Vec<String>, String)> {
        (0..self.len())
            .map(|i| (self.path_targets(i).to_vec(), self.mermaid_of(i)))
            .collect()
    }

    /// How many paths are drawn.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// The labels of the targets path `i` draws (empty past the last path).
    pub fn path_targets(&self, i: usize) -> &[String] {
        self.paths.get(i).map_or(&[], |p| p.targets.as_slice())
    }

    /// The Mermaid flowchart of path `i` (empty past the last path).
    pub fn mermaid_of(&self, i: usize) -> String {
        self.paths
            .get(i)
            .map(PathPicture::mermaid)
            .unwrap_or_default()
    }

    /// Every path in one picture: the task node of each path gets its own key, other nodes
    /// and edges are shared by id.
    fn merged(&self) -> PathPicture {
        let mut all = PathPicture::default();
        for (i, path) in self.paths.iter().enumerate() {
            let rename = |k: &str| {
                if k == TASK {
                    format!("{TASK}:{i}")
                } else {
                    k.to_owned()
                }
            };
            for n in &path.nodes {
                let mut n = n.clone();
                n.key = rename(&n.key);
                let lines = n.lines.clone();
                let blame = n.blame.clone();
                let kept = all.node(n);
                for l in lines {
                    kept.line(l);
                }
                kept.blame.extend(blame);
            }
            for e in &path.edges {
                let mut e = e.clone();
                e.from = rename(&e.from);
                e.to = rename(&e.to);
                all.edge(e);
            }
        }
        all
    }
}

/// The paths of a run for a report that prints few of them (Markdown): how many there are,
/// the targets of each, and the flowchart of a path drawn only when asked for. Grouping targets
/// into paths takes each target's path signature, which takes drawing it; but two targets can
/// only share a path when their task nodes link to the same resources (the task's security
/// groups and its subnets: [`task_links`]), which takes a few lookups. A target whose task
/// links no other target shares is a path of its own without being drawn; the others are
/// grouped as [`Pictures::build`] groups them. Paths, their order and their targets are the
/// same as those of [`Pictures::build`].
pub struct PathList<'a> {
    paths: Vec<Listed<'a>>,
}

/// One path of a [`PathList`].
enum Listed<'a> {
    /// Drawn to be grouped (it shares its task links with another target).
    Drawn(PathPicture),
    /// A target of its own, drawn when asked for.
    Alone {
        graph: &'a Graph<'a>,
        target: &'a Target<'a>,
        findings: Vec<&'a Finding>,
        targets: Vec<String>,
    },
}

impl<'a> PathList<'a> {
    /// The paths of the non-passing targets (every target with `show_passed`), as
    /// [`Pictures::build`] would draw them.
    pub fn new(report: &'a Report, estates: &[EstateView<'a>], show_passed: bool) -> Self {
        let mut by_target: Vec<Vec<&'a Finding>> = vec![Vec::new(); report.targets.len()];
        for f in &report.findings {
            if let Some(list) = by_target.get_mut(f.target) {
                list.push(f);
            }
        }
        let drawn_targets: Vec<(&'a Graph<'a>, &'a Target<'a>, &[&'a Finding])> = estates
            .iter()
            .flat_map(|e| {
                e.targets.iter().enumerate().map(|(i, t)| {
                    let findings = by_target
                        .get(e.first_target + i)
                        .map_or(&[][..], Vec::as_slice);
                    (e.graph, t, findings)
                })
            })
            .filter(|(_, _, findings)| {
                show_passed || findings.iter().any(|f| f.status != Status::Pass)
            })
            .collect();
        // Task links, when they can tell paths apart (see `task_links`).
        let links: Option<Vec<Vec<&str>>> = estates
            .iter()
            .all(|e| plain_estate(e.graph))
            .then(|| {
                drawn_targets
                    .iter()
                    .map(|(graph, target, _)| task_links(graph, target))
                    .collect::<Option<Vec<_>>>()
            })
            .flatten();
        let mut sharing: HashMap<&[&str], usize> = HashMap::new();
        for l in links.iter().flatten() {
            *sharing.entry(l.as_slice()).or_insert(0) += 1;
        }
        let mut paths: Vec<Listed<'a>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut drawn: HashMap<DrawInputs<'a>, usize> = HashMap::new();
        for (n, &(graph, target, findings)) in drawn_targets.iter().enumerate() {
            let alone = links
                .as_ref()
                .and_then(|l| sharing.get(l[n].as_slice()))
                .is_some_and(|&count| count == 1);
            if alone {
                paths.push(Listed::Alone {
                    graph,
                    target,
                    findings: findings.to_vec(),
                    targets: vec![target.label()],
                });
                continue;
            }
            let inputs = DrawInputs::of(graph, target, findings);
            if let Some(&i) = drawn.get(&inputs) {
                if let Some(Listed::Drawn(path)) = paths.get_mut(i) {
                    path.targets.push(target.label());
                }
                continue;
            }
            let path = draw_target(graph, target, findings);
            let signature = path.signature();
            let i = match index.get(&signature) {
                Some(&i) => {
                    if let Some(Listed::Drawn(shared)) = paths.get_mut(i) {
                        shared.targets.push(target.label());
                    }
                    i
                }
                None => {
                    index.insert(signature, paths.len());
                    paths.push(Listed::Drawn(path));
                    paths.len() - 1
                }
            };
            drawn.insert(inputs, i);
        }
        for listed in &mut paths {
            if let Listed::Drawn(path) = listed {
                retitle(path);
            }
        }
        Self { paths }
    }

    /// How many paths there are.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// Whether there is no path (every target passed).
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// The labels of the targets path `i` draws (empty past the last path).
    pub fn path_targets(&self, i: usize) -> &[String] {
        match self.paths.get(i) {
            Some(Listed::Drawn(p)) => &p.targets,
            Some(Listed::Alone { targets, .. }) => targets,
            None => &[],
        }
    }

    /// The Mermaid flowchart of path `i` (empty past the last path).
    pub fn mermaid_of(&self, i: usize) -> String {
        match self.paths.get(i) {
            Some(Listed::Drawn(p)) => p.mermaid(),
            Some(Listed::Alone {
                graph,
                target,
                findings,
                ..
            }) => draw(graph, target, findings, false).mermaid(),
            None => String::new(),
        }
    }

    /// At most the length in characters of [`PathList::mermaid_of`] `i`, found for less than
    /// drawing it: the length of the path drawn bare.
    pub fn mermaid_len_at_least(&self, i: usize) -> usize {
        match self.paths.get(i) {
            Some(Listed::Alone {
                graph,
                target,
                findings,
                ..
            }) => draw(graph, target, findings, true).mermaid_len_at_least(),
            Some(Listed::Drawn(_)) | None => 0,
        }
    }
}

/// A path shared by several targets names them all on its task node, without the task
/// definition of one of them.
fn retitle(path: &mut PathPicture) {
    if path.targets.len() > 1 {
        let titles = task_title(&path.targets);
        if let Some(task) = path.node_mut(TASK) {
            task.title = titles;
            task.lines.retain(|l| !l.starts_with("task definition "));
        }
    }
}

/// Whether a resource id can be told apart from the task node and from other parts in a path
/// signature: not the task node's key, and no line break or leading parenthesis (a node's key
/// is written into the signature as it is).
fn plain_key(id: &str) -> bool {
    id != TASK && !id.starts_with('(') && !id.contains('\n')
}

/// Whether every id of an estate that a path may draw as a node is a [`plain_key`].
fn plain_estate(graph: &Graph<'_>) -> bool {
    fn all<'x>(mut ids: impl Iterator<Item = &'x str>) -> bool {
        ids.all(plain_key)
    }
    let s = graph.snapshot();
    all(s
        .ec2
        .subnets
        .iter()
        .flatten()
        .flat_map(|x| [x.subnet_id.as_str(), x.vpc_id.as_str()]))
        && all(s
            .ec2
            .security_groups
            .iter()
            .flatten()
            .map(|x| x.group_id.as_str()))
        && all(s
            .ec2
            .route_tables
            .iter()
            .flatten()
            .map(|x| x.route_table_id.as_str()))
        && all(s
            .ec2
            .network_acls
            .iter()
            .flatten()
            .map(|x| x.network_acl_id.as_str()))
        && all(s.efs.mount_targets.iter().flatten().flat_map(|x| {
            std::iter::once(x.mount_target_id.as_str())
                .chain(std::iter::once(x.subnet_id.as_str()))
                .chain(x.security_groups.iter().flatten().map(String::as_str))
        }))
        && all(s
            .efs
            .file_systems
            .iter()
            .flatten()
            .map(|x| x.file_system_id.as_str()))
        && all(s
            .efs
            .access_points
            .iter()
            .flatten()
            .map(|x| x.access_point_id.as_str()))
        && all(s.iam.roles.iter().flatten().map(|x| x.arn.as_str()))
}

/// The resources a target's task node links to: its security groups (the VPC default group
/// when it names none) and the subnets it runs in (when it has EFS volumes, or no task
/// definition), sorted. Two targets whose paths have the same signature have the same task
/// links, provided no id can pass for another part of a signature ([`plain_key`]); `None`
/// when one of the target's own ids might.
fn task_links<'t>(graph: &Graph<'t>, target: &'t Target<'_>) -> Option<Vec<&'t str>> {
    let network = target.placement.network.as_ref().ok();
    let subnets: &[String] = network.map_or(&[], |n| n.subnets.as_slice());
    let mut links: Vec<&'t str> = Vec::new();
    match network.map(|n| n.security_groups.as_slice()) {
        Some(groups) if !groups.is_empty() => links.extend(groups.iter().map(String::as_str)),
        _ => {
            let vpc_id = subnets
                .iter()
                .find_map(|id| graph.subnet(id).ok().map(|s| s.vpc_id.as_str()));
            if let Some(sg) = vpc_id.and_then(|v| graph.default_security_group(v).ok()) {
                links.push(sg.group_id.as_str());
            }
        }
    }
    let linked_subnets = match &target.task_definition {
        Ok(td) => td
            .volumes
            .iter()
            .any(|v| v.efs_volume_configuration.is_some()),
        Err(_) => true,
    };
    if linked_subnets {
        links.extend(subnets.iter().map(String::as_str));
    }
    // The ids the target itself brings (its placement, its volumes' file systems and access
    // points, its role) must be plain too.
    let own_plain = subnets.iter().all(|s| plain_key(s))
        && network.is_none_or(|n| n.security_groups.iter().all(|s| plain_key(s)))
        && target.task_definition.as_ref().ok().is_none_or(|td| {
            td.task_role_arn.as_deref().is_none_or(plain_key)
                && td.volumes.iter().all(|v| {
                    v.efs_volume_configuration.as_ref().is_none_or(|c| {
                        plain_key(&c.file_system_id)
                            && c.authorization_config
                                .as_ref()
                                .and_then(|a| a.access_point_id.as_deref())
                                .is_none_or(plain_key)
                    })
                })
        });
    if !own_plain {
        return None;
    }
    links.sort_unstable();
    links.dedup();
    Some(links)
}

/// Nodes and edges ready to write.
struct Merged<'m> {
    nodes: &'m [PNode],
    edges: &'m [PEdge],
}

impl Merged<'_> {
    /// Node positions by key.
    fn index(&self) -> HashMap<&str, usize> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.key.as_str(), i))
            .collect()
    }
}

fn task_title(targets: &[String]) -> String {
    const SHOWN: usize = 4;
    let mut s = format!("{} targets: ", targets.len());
    s.push_str(
        &targets
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
    );
    if targets.len() > SHOWN {
        let _ = write!(s, " and {} more", targets.len() - SHOWN);
    }
    s
}

/// The resource part of an ARN (`arn:aws:iam::1:role/x` -> `role/x`), or the id itself.
fn short_id(id: &str) -> &str {
    if id.starts_with("arn:") {
        id.splitn(6, ':').nth(5).unwrap_or(id)
    } else {
        id
    }
}

// --- Drawing one target ---

/// Everything [`draw_target`] reads but the task node's title and lines: the estate, the task
/// definition, the placement's subnets and security groups, and what the non-passing findings
/// blame. Targets with equal inputs draw paths with the same signature.
#[derive(PartialEq, Eq, Hash)]
struct DrawInputs<'a> {
    graph: usize,
    task_definition: Option<usize>,
    network: bool,
    subnets: Vec<&'a str>,
    security_groups: Vec<&'a str>,
    blamed: Vec<(&'static str, Status, Option<&'a str>, Option<&'a str>)>,
}

impl<'a> DrawInputs<'a> {
    fn of(graph: &Graph<'_>, target: &'a Target<'_>, findings: &[&'a Finding]) -> Self {
        let network = target.placement.network.as_ref().ok();
        Self {
            graph: std::ptr::from_ref(graph) as usize,
            task_definition: target
                .task_definition
                .as_ref()
                .ok()
                .map(|td| std::ptr::from_ref(*td) as usize),
            network: network.is_some(),
            subnets: network
                .map(|n| n.subnets.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            security_groups: network
                .map(|n| n.security_groups.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            blamed: findings
                .iter()
                .filter(|f| f.status != Status::Pass)
                .map(|f| {
                    (
                        f.rule.id,
                        f.status,
                        f.resource.as_deref(),
                        f.volume.as_deref(),
                    )
                })
                .collect(),
        }
    }
}

fn draw_target(graph: &Graph<'_>, target: &Target<'_>, findings: &[&Finding]) -> PathPicture {
    draw(graph, target, findings, false)
}

/// Draws a target's path, whole or bare (see [`PathPicture::bare`]).
fn draw(graph: &Graph<'_>, target: &Target<'_>, findings: &[&Finding], bare: bool) -> PathPicture {
    let mut p = PathPicture {
        targets: vec![target.label()],
        bare,
        ..PathPicture::default()
    };
    let mut task = PNode::new(
        TASK,
        NodeKind::Task,
        format!(
            "{} {}",
            match target.kind {
                TargetKind::Service => "service",
                TargetKind::TaskDefinition => "task definition",
                TargetKind::Task => "task",
            },
            target.label()
        ),
    );
    match &target.task_definition {
        Ok(td) => {
            let rev = td.revision.map(|r| format!(":{r}")).unwrap_or_default();
            task.line(format!("task definition {}{rev}", td.family));
        }
        Err(_) => task.line("task definition not in the snapshot"),
    }
    let launch = match target.placement.launch {
        Launch::Fargate => format!(
            "Fargate {}",
            target.placement.effective_platform_version().0
        ),
        Launch::Ec2 => "EC2".to_owned(),
        Launch::External => "External".to_owned(),
        Launch::Unknown => "launch type unknown".to_owned(),
    };
    task.line(launch);
    p.node(task);

    let network = target.placement.network.as_ref().ok();
    let subnet_ids: Vec<&str> = {
        let mut ids: Vec<&str> = Vec::new();
        for id in network.map(|n| n.subnets.as_slice()).unwrap_or_default() {
            if !ids.contains(&id.as_str()) {
                ids.push(id);
            }
        }
        ids
    };
    let vpc_id: Option<&str> = subnet_ids
        .iter()
        .find_map(|id| graph.subnet(id).ok().map(|s| s.vpc_id.as_str()));
    // The task's security groups: those named, else the VPC default group (as ECS does).
    let mut task_sgs: Vec<String> = network
        .map(|n| n.security_groups.clone())
        .unwrap_or_default();
    if task_sgs.is_empty() {
        if let Some(sg) = vpc_id.and_then(|v| graph.default_security_group(v).ok()) {
            task_sgs.push(sg.group_id.clone());
        }
    }
    for sg_id in &task_sgs {
        draw_security_group(graph, &mut p, sg_id, SgRole::Task);
        p.edge(link(TASK, sg_id, ""));
    }
    let region = graph.snapshot().region.clone().unwrap_or_default();

    let volumes: Vec<(&str, &crate::snapshot::EfsVolumeConfiguration)> =
        match &target.task_definition {
            Ok(td) => td
                .volumes
                .iter()
                .filter_map(|v| {
                    v.efs_volume_configuration
                        .as_ref()
                        .map(|c| (v.name.as_str(), c))
                })
                .collect(),
            Err(_) => Vec::new(),
        };
    let task_role = target
        .task_definition
        .as_ref()
        .ok()
        .and_then(|td| td.task_role_arn.clone());
    for (volume, config) in volumes {
        let fs_id = config.file_system_id.as_str();
        draw_file_system(graph, &mut p, fs_id);
        let auth = config.authorization_config.as_ref();
        let ap_id = auth.and_then(|a| a.access_point_id.as_deref());
        let end = match ap_id {
            Some(ap) => {
                draw_access_point(graph, &mut p, ap);
                p.edge(PEdge {
                    volume: Some(volume.to_owned()),
                    ..link(fs_id, ap, "access point")
                });
                ap.to_owned()
            }
            None => fs_id.to_owned(),
        };
        let iam = auth
            .and_then(|a| a.iam.as_deref())
            .is_some_and(|v| v.eq_ignore_ascii_case("ENABLED"));
        let tls = config
            .transit_encryption
            .as_deref()
            .is_some_and(|v| v.eq_ignore_ascii_case("ENABLED"));
        draw_iam(
            graph,
            &mut p,
            IamPath {
                volume,
                fs_id,
                end: &end,
                iam,
                tls,
                task_role: task_role.as_deref(),
            },
        );
        for sid in &subnet_ids {
            draw_subnet_path(
                graph,
                &mut p,
                SubnetPath {
                    volume,
                    fs_id,
                    subnet_id: sid,
                    task_sgs: &task_sgs,
                    region: &region,
                },
            );
        }
    }
    if volumes_missing(target) {
        // No task definition: the subnets are still the task's placement.
        for sid in &subnet_ids {
            draw_subnet(graph, &mut p, sid);
            p.edge(link(TASK, sid, ""));
        }
    }
    if task_role.is_some() && !p.nodes.iter().any(|n| n.kind == NodeKind::Role) {
        if let Some(role) = task_role.as_deref() {
            let key = draw_role(graph, &mut p, role);
            p.edge(link(TASK, &key, "task role"));
        }
    }
    if !p.bare {
        for f in findings.iter().filter(|f| f.status != Status::Pass) {
            blame(&mut p, f);
        }
    }
    p
}

fn volumes_missing(target: &Target<'_>) -> bool {
    target.task_definition.is_err()
}

fn link(from: &str, to: &str, label: &str) -> PEdge {
    PEdge {
        from: from.to_owned(),
        to: to.to_owned(),
        kind: EdgeKind::Link,
        label: label.to_owned(),
        volume: None,
        hops: Vec::new(),
        blame: BTreeSet::new(),
    }
}

#[derive(Clone, Copy)]
struct SubnetPath<'a> {
    volume: &'a str,
    fs_id: &'a str,
    subnet_id: &'a str,
    task_sgs: &'a [String],
    region: &'a str,
}

/// Draws a subnet node (CIDR, AZ id) and returns its VPC when known.
fn draw_subnet(graph: &Graph<'_>, p: &mut PathPicture, subnet_id: &str) -> Option<String> {
    let mut node = PNode::new(subnet_id, NodeKind::Subnet, subnet_id);
    let vpc = match graph.subnet(subnet_id) {
        Ok(s) => {
            if let Some(c) = &s.cidr_block {
                node.line(c.clone());
            }
            for a in &s.ipv6_cidr_block_association_set {
                if let Some(c) = &a.ipv6_cidr_block {
                    node.line(c.clone());
                }
            }
            match (&s.availability_zone_id, &s.availability_zone) {
                (Some(id), Some(name)) => node.line(format!("{id} ({name})")),
                (Some(id), None) => node.line(id.clone()),
                (None, _) => node.line("AZ id unknown"),
            }
            node.vpc = Some(s.vpc_id.clone());
            node.az.clone_from(&s.availability_zone_id);
            Some(s.vpc_id.clone())
        }
        Err(m) => {
            node.line(format!("unknown: {m}"));
            None
        }
    };
    p.node(node);
    vpc
}

/// The subnet's route table and network ACL, drawn beside it; returns their ids.
fn draw_subnet_guards(graph: &Graph<'_>, p: &mut PathPicture, subnet_id: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let Ok(subnet) = graph.subnet(subnet_id) else {
        return ids;
    };
    if let Ok(rt) = graph.route_table_of_subnet(subnet) {
        draw_route_table(p, rt);
        p.edge(link(subnet_id, &rt.route_table_id, ""));
        ids.push(rt.route_table_id.clone());
    }
    if let Ok(acl) = graph.network_acl_of_subnet(subnet) {
        draw_network_acl(p, acl);
        p.edge(link(subnet_id, &acl.network_acl_id, ""));
        ids.push(acl.network_acl_id.clone());
    }
    ids
}

fn draw_subnet_path(graph: &Graph<'_>, p: &mut PathPicture, sp: SubnetPath<'_>) {
    let SubnetPath {
        volume,
        fs_id,
        subnet_id,
        task_sgs,
        region,
    } = sp;
    draw_subnet(graph, p, subnet_id);
    p.edge(link(TASK, subnet_id, ""));
    let guards = draw_subnet_guards(graph, p, subnet_id);
    let Ok(subnet) = graph.subnet(subnet_id) else {
        return;
    };
    let vpc_id = subnet.vpc_id.as_str();
    let resolver = draw_resolver(graph, p, vpc_id, region);
    p.edge(PEdge {
        kind: EdgeKind::Dns,
        hops: resolver.1.clone(),
        ..link(subnet_id, &resolver.0, "DNS lookup")
    });
    let missing = |label: String| PEdge {
        kind: EdgeKind::Missing,
        volume: Some(volume.to_owned()),
        hops: vec![subnet_id.to_owned(), fs_id.to_owned()],
        ..link(subnet_id, fs_id, &label)
    };
    let Some(az) = subnet.availability_zone_id.as_deref() else {
        p.edge(missing("AZ id unknown".to_owned()));
        return;
    };
    let mount_target = match graph.mount_target_in_az(fs_id, vpc_id, az) {
        Ok(Some(mt)) => mt,
        Ok(None) => {
            let label = match graph.file_system(fs_id) {
                Ok(fs) if fs.availability_zone_id.as_deref().is_some_and(|z| z != az) => {
                    format!(
                        "One Zone file system in {}; task subnet in {az}",
                        fs.availability_zone_id.as_deref().unwrap_or_default()
                    )
                }
                _ => match graph.mount_targets_of(fs_id) {
                    Ok(mts)
                        if !mts.is_empty()
                            && mts
                                .iter()
                                .all(|mt| graph.mount_target_vpc(mt) != Some(vpc_id)) =>
                    {
                        format!("no mount target in {vpc_id}")
                    }
                    _ => format!("no mount target in {az}"),
                },
            };
            p.edge(missing(label));
            return;
        }
        Err(_) => {
            p.edge(missing(format!("mount target in {az} unknown")));
            return;
        }
    };
    let mt_id = mount_target.mount_target_id.as_str();
    let mut node = PNode::new(mt_id, NodeKind::MountTarget, mt_id);
    if let Some(ip) = &mount_target.ip_address {
        node.line(ip.clone());
    }
    if let Some(ip) = &mount_target.ipv6_address {
        node.line(ip.clone());
    }
    if let Some(state) = &mount_target.life_cycle_state {
        node.line(state.clone());
    }
    node.vpc = graph.mount_target_vpc(mount_target).map(str::to_owned);
    node.az = graph.mount_target_az_id(mount_target).map(str::to_owned);
    p.node(node);
    p.edge(link(mt_id, fs_id, "mount target of"));
    let mut hops: Vec<String> = vec![subnet_id.to_owned(), mt_id.to_owned()];
    hops.extend(task_sgs.iter().cloned());
    hops.extend(guards);
    for sg in mount_target.security_groups.iter().flatten() {
        draw_security_group(graph, p, sg, SgRole::MountTarget);
        p.edge(link(mt_id, sg, ""));
        hops.push(sg.clone());
    }
    if mount_target.subnet_id != subnet_id {
        let mt_subnet = mount_target.subnet_id.as_str();
        draw_subnet(graph, p, mt_subnet);
        p.edge(link(mt_id, mt_subnet, "in subnet"));
        hops.push(mt_subnet.to_owned());
        if let Ok(s) = graph.subnet(mt_subnet) {
            if let Ok(acl) = graph.network_acl_of_subnet(s) {
                draw_network_acl(p, acl);
                p.edge(link(mt_subnet, &acl.network_acl_id, ""));
                hops.push(acl.network_acl_id.clone());
            }
            if let Ok(rt) = graph.route_table_of_subnet(s) {
                // Drawn only when a finding names it (the replies' routes).
                hops.push(rt.route_table_id.clone());
            }
        }
    }
    p.edge(PEdge {
        kind: EdgeKind::Nfs,
        volume: Some(volume.to_owned()),
        hops,
        ..link(subnet_id, mt_id, "NFS TCP 2049 / replies 1024-65535")
    });
}

/// The VPC resolver node of a VPC: DNS attributes and DHCP options. Returns its key and the
/// resource ids it stands for.
fn draw_resolver(
    graph: &Graph<'_>,
    p: &mut PathPicture,
    vpc_id: &str,
    region: &str,
) -> (String, Vec<String>) {
    let key = format!("dns:{vpc_id}");
    let mut ids = vec![vpc_id.to_owned()];
    let mut node = PNode::new(&key, NodeKind::Resolver, format!("VPC DNS of {vpc_id}"));
    node.vpc = Some(vpc_id.to_owned());
    if p.bare {
        p.node(node);
        return (key, ids);
    }
    node.line(format!("resolves FS-ID.efs.{region}.amazonaws.com"));
    match graph.vpc_attributes(vpc_id) {
        Ok(a) => {
            let show = |v: Option<bool>| match v {
                Some(true) => "true",
                Some(false) => "false",
                None => "unknown",
            };
            node.line(format!(
                "enableDnsSupport {}",
                show(a.enable_dns_support.as_ref().and_then(|v| v.value))
            ));
            node.line(format!(
                "enableDnsHostnames {}",
                show(a.enable_dns_hostnames.as_ref().and_then(|v| v.value))
            ));
        }
        Err(_) => node.line("DNS attributes not collected"),
    }
    if let Some(dopt) = graph
        .vpc(vpc_id)
        .ok()
        .and_then(|v| v.dhcp_options_id.clone())
    {
        let servers = graph
            .dhcp_options(&dopt)
            .ok()
            .and_then(|d| {
                d.dhcp_configurations
                    .iter()
                    .find(|c| c.key == "domain-name-servers")
                    .map(|c| {
                        c.values
                            .iter()
                            .filter_map(|v| v.value.clone())
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
            })
            .unwrap_or_default();
        if servers.is_empty() {
            node.line(format!("DHCP {dopt}"));
        } else {
            node.line(format!("DHCP {dopt}: {servers}"));
        }
        ids.push(dopt);
    }
    p.node(node);
    (key, ids)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SgRole {
    Task,
    MountTarget,
}

fn draw_security_group(graph: &Graph<'_>, p: &mut PathPicture, sg_id: &str, role: SgRole) {
    let mut node = PNode::new(sg_id, NodeKind::SecurityGroup, sg_id);
    if p.bare {
        p.node(node);
        return;
    }
    match graph.security_group(sg_id) {
        Ok(sg) => {
            if let Some(name) = &sg.group_name {
                node.line(format!("name {name}"));
            }
            node.vpc.clone_from(&sg.vpc_id);
            node.line(match role {
                SgRole::Task => nfs_rules(sg, true),
                SgRole::MountTarget => nfs_rules(sg, false),
            });
        }
        Err(m) => node.line(format!("unknown: {m}")),
    }
    let lines = node.lines.clone();
    let kept = p.node(node);
    for l in lines {
        kept.line(l);
    }
}

/// The rules of a security group that carry TCP 2049 in one direction, in a few words.
fn nfs_rules(sg: &SecurityGroup, egress: bool) -> String {
    const SHOWN: usize = 3;
    let perms = if egress {
        &sg.ip_permissions_egress
    } else {
        &sg.ip_permissions
    };
    let mut peers: Vec<String> = Vec::new();
    for perm in perms.iter().filter(|perm| carries_nfs(perm)) {
        peers.extend(
            perm.user_id_group_pairs
                .iter()
                .filter_map(|g| g.group_id.clone()),
        );
        peers.extend(perm.ip_ranges.iter().map(|r| r.cidr_ip.clone()));
        peers.extend(perm.ipv6_ranges.iter().map(|r| r.cidr_ipv6.clone()));
        peers.extend(
            perm.prefix_list_ids
                .iter()
                .map(|l| l.prefix_list_id.clone()),
        );
    }
    peers.dedup();
    let (dir, arrow) = if egress {
        ("out", "to")
    } else {
        ("in", "from")
    };
    if peers.is_empty() {
        return format!("{dir} TCP 2049: no rule");
    }
    let mut s = format!(
        "{dir} TCP 2049 {arrow} {}",
        peers
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    if peers.len() > SHOWN {
        let _ = write!(s, " +{}", peers.len() - SHOWN);
    }
    s
}

fn carries_nfs(perm: &IpPermission) -> bool {
    match perm.ip_protocol.to_ascii_lowercase().as_str() {
        "-1" | "all" => true,
        "tcp" | "6" => {
            let from = perm.from_port.unwrap_or(0);
            let to = perm.to_port.unwrap_or(65535);
            from <= 2049 && 2049 <= to
        }
        _ => false,
    }
}

fn draw_route_table(p: &mut PathPicture, rt: &RouteTable) {
    let mut node = PNode::new(&rt.route_table_id, NodeKind::RouteTable, &rt.route_table_id);
    node.vpc.clone_from(&rt.vpc_id);
    if p.bare {
        p.node(node);
        return;
    }
    let mut shown = 0;
    for route in &rt.routes {
        let dest = route
            .destination_cidr_block
            .as_deref()
            .or(route.destination_ipv6_cidr_block.as_deref())
            .or(route.destination_prefix_list_id.as_deref());
        let Some(dest) = dest else { continue };
        if matches!(dest, "0.0.0.0/0" | "::/0") {
            continue;
        }
        let via = [
            &route.gateway_id,
            &route.nat_gateway_id,
            &route.transit_gateway_id,
            &route.network_interface_id,
            &route.instance_id,
            &route.vpc_peering_connection_id,
            &route.vpc_endpoint_id,
            &route.local_gateway_id,
            &route.carrier_gateway_id,
            &route.core_network_arn,
            &route.egress_only_internet_gateway_id,
        ]
        .into_iter()
        .find_map(|v| v.as_deref())
        .unwrap_or("?");
        if shown == 3 {
            node.line("...");
            break;
        }
        node.line(format!("{dest} via {via}"));
        shown += 1;
    }
    p.node(node);
}

fn draw_network_acl(p: &mut PathPicture, acl: &NetworkAcl) {
    let mut node = PNode::new(
        &acl.network_acl_id,
        NodeKind::NetworkAcl,
        &acl.network_acl_id,
    );
    node.vpc.clone_from(&acl.vpc_id);
    if p.bare {
        p.node(node);
        return;
    }
    if acl.is_default {
        node.line("default ACL");
    }
    for egress in [false, true] {
        let mut entries: Vec<_> = acl
            .entries
            .iter()
            .filter(|e| e.egress == egress && e.rule_number < 32767)
            .collect();
        entries.sort_by_key(|e| e.rule_number);
        let dir = if egress { "out" } else { "in" };
        let shown: Vec<String> = entries
            .iter()
            .take(3)
            .map(|e| {
                let proto = match e.protocol.as_str() {
                    "-1" => "all".to_owned(),
                    "6" => "tcp".to_owned(),
                    "17" => "udp".to_owned(),
                    other => other.to_owned(),
                };
                let ports = e
                    .port_range
                    .as_ref()
                    .filter(|_| proto != "all")
                    .map(|r| match (r.from, r.to) {
                        (Some(a), Some(b)) if a == b => format!(" {a}"),
                        (Some(a), Some(b)) => format!(" {a}-{b}"),
                        _ => String::new(),
                    })
                    .unwrap_or_default();
                let peer = e
                    .cidr_block
                    .as_deref()
                    .or(e.ipv6_cidr_block.as_deref())
                    .unwrap_or("?");
                format!(
                    "{dir} {} {} {proto}{ports} {peer}",
                    e.rule_number,
                    e.rule_action.to_ascii_lowercase()
                )
            })
            .collect();
        if shown.is_empty() {
            node.line(format!("{dir}: deny all"));
        }
        for s in shown {
            node.line(s);
        }
        if entries.len() > 3 {
            node.line(format!("{dir}: +{} rules", entries.len() - 3));
        }
    }
    p.node(node);
}

fn draw_file_system(graph: &Graph<'_>, p: &mut PathPicture, fs_id: &str) {
    let mut node = PNode::new(fs_id, NodeKind::FileSystem, fs_id);
    if p.bare {
        p.node(node);
        return;
    }
    match graph.file_system(fs_id) {
        Ok(fs) => {
            if let Some(name) = &fs.name {
                node.line(format!("name {name}"));
            }
            if let Some(state) = &fs.life_cycle_state {
                node.line(state.clone());
            }
            if let Some(az) = &fs.availability_zone_id {
                node.line(format!("One Zone {az}"));
            }
        }
        Err(m) => node.line(format!("unknown: {m}")),
    }
    p.node(node);
}

fn draw_access_point(graph: &Graph<'_>, p: &mut PathPicture, ap_id: &str) {
    let mut node = PNode::new(ap_id, NodeKind::AccessPoint, ap_id);
    if p.bare {
        p.node(node);
        return;
    }
    match graph.access_point(ap_id) {
        Ok(ap) => {
            let path = ap
                .root_directory
                .as_ref()
                .and_then(|r| r.path.as_deref())
                .unwrap_or("/");
            node.line(format!("path {path}"));
            if let Some(u) = &ap.posix_user {
                node.line(format!("uid {} gid {}", u.uid, u.gid));
            }
            node.line(format!("of {}", ap.file_system_id));
            if let Some(state) = &ap.life_cycle_state {
                node.line(state.clone());
            }
        }
        Err(m) => node.line(format!("unknown: {m}")),
    }
    p.node(node);
}

/// Draws the task role; returns its key (the ARN when the role is known).
fn draw_role(graph: &Graph<'_>, p: &mut PathPicture, role_ref: &str) -> String {
    let (key, title) = match graph.role(role_ref) {
        Ok(role) => (role.arn.clone(), short_id(&role.arn).to_owned()),
        Err(_) => (role_ref.to_owned(), short_id(role_ref).to_owned()),
    };
    let mut node = PNode::new(&key, NodeKind::Role, format!("task role {title}"));
    if graph.role(role_ref).is_err() {
        node.line("not in the snapshot");
    }
    p.node(node);
    key
}

#[derive(Clone, Copy)]
struct IamPath<'a> {
    volume: &'a str,
    fs_id: &'a str,
    end: &'a str,
    iam: bool,
    tls: bool,
    task_role: Option<&'a str>,
}

fn draw_iam(graph: &Graph<'_>, p: &mut PathPicture, ip: IamPath<'_>) {
    let policy_key = format!("policy:{}", ip.fs_id);
    let mut node = PNode::new(
        &policy_key,
        NodeKind::Policy,
        format!("file-system policy of {}", ip.fs_id),
    );
    match graph.file_system_policy(ip.fs_id) {
        Ok(Some(doc)) => {
            let n = match doc.value().get("Statement") {
                Some(serde_json::Value::Array(a)) => a.len(),
                Some(_) => 1,
                None => 0,
            };
            node.line(format!("{n} statement{}", if n == 1 { "" } else { "s" }));
        }
        Ok(None) => node.line("none: EFS default (any client via a mount target)"),
        Err(_) => node.line("not collected"),
    }
    p.node(node);
    let mut hops = vec![ip.fs_id.to_owned(), ip.end.to_owned(), policy_key.clone()];
    let tls = if ip.tls { "TLS" } else { "no TLS" };
    if ip.iam {
        if let Some(role) = ip.task_role {
            let key = draw_role(graph, p, role);
            hops.push(key.clone());
            hops.push(role.to_owned());
            p.edge(PEdge {
                kind: EdgeKind::Iam,
                volume: Some(ip.volume.to_owned()),
                hops: hops.clone(),
                ..link(ip.end, &key, "identity policies")
            });
        }
    }
    let principal = if ip.iam {
        "as task role"
    } else {
        "as anonymous client"
    };
    p.edge(PEdge {
        kind: EdgeKind::Iam,
        volume: Some(ip.volume.to_owned()),
        hops,
        ..link(
            ip.end,
            &policy_key,
            &format!("IAM ClientMount {principal}, {tls}"),
        )
    });
}

/// Puts a non-passing finding on the node its resource names (else on the node of its family)
/// and on every flow of its volume whose hops include that resource.
fn blame(p: &mut PathPicture, f: &Finding) {
    let rule = f.rule.id;
    let resource = f.resource.as_deref();
    for e in &mut p.edges {
        let same_volume = f.volume.is_none() || f.volume == e.volume;
        if e.kind.judged_by(rule)
            && same_volume
            && resource.is_some_and(|r| e.hops.iter().any(|h| h == r))
        {
            e.blame.insert(Blame {
                rule,
                status: f.status,
                resource: None,
            });
        }
    }
    let key = blame_key(p, f);
    let title_shows = |p: &PathPicture, key: &str| {
        resource.is_none_or(|r| {
            p.nodes
                .iter()
                .find(|n| n.key == key)
                .is_some_and(|n| n.title.contains(short_id(r)))
        })
    };
    let shown = if title_shows(p, &key) {
        None
    } else {
        resource.map(|r| short_id(r).to_owned())
    };
    if let Some(node) = p.node_mut(&key) {
        node.blame.insert(Blame {
            rule,
            status: f.status,
            resource: shown,
        });
    }
}

/// The node a finding is drawn on.
fn blame_key(p: &PathPicture, f: &Finding) -> String {
    let rule = f.rule.id;
    let family = &rule[..3.min(rule.len())];
    if let Some(r) = f.resource.as_deref() {
        // A policy decision on a file system is the file-system policy's.
        if matches!(rule, "IAM001" | "IAM003" | "IAM004") && p.has(&format!("policy:{r}")) {
            return format!("policy:{r}");
        }
        if family == "DNS" {
            if let Some(n) = p.nodes.iter().find(|n| {
                n.kind == NodeKind::Resolver
                    && (n.title.ends_with(r) || n.lines.iter().any(|l| l.contains(r)))
            }) {
                return n.key.clone();
            }
        }
        if p.has(r) {
            return r.to_owned();
        }
    }
    // Not drawn: the node of the rule's family for the finding's volume.
    let fs_of_volume = p
        .edges
        .iter()
        .find(|e| e.kind == EdgeKind::Iam && f.volume.is_some() && e.volume == f.volume)
        .and_then(|e| e.hops.first().cloned());
    let fallback = match family {
        "DNS" => p
            .nodes
            .iter()
            .find(|n| n.kind == NodeKind::Resolver)
            .map(|n| n.key.clone()),
        "IAM" => fs_of_volume.as_ref().map(|fs| format!("policy:{fs}")),
        "EFS" | "NET" => fs_of_volume,
        _ => None,
    };
    fallback
        .filter(|k| p.has(k))
        .unwrap_or_else(|| TASK.to_owned())
}

// --- Writers ---

/// Graphviz colours: red for fail and warn, grey for unknown.
const RED: &str = "#c62828";
const RED_FILL: &str = "#fdecea";
const GREY: &str = "#757575";
const GREY_FILL: &str = "#f2f2f2";

fn node_lines(n: &PNode) -> Vec<String> {
    let mut lines = vec![n.title.clone()];
    lines.extend(n.blame.iter().map(Blame::text));
    lines.extend(n.lines.iter().cloned());
    lines
}

fn edge_lines(e: &PEdge) -> Vec<String> {
    let mut lines: Vec<String> = Some(e.label.clone())
        .filter(|l| !l.is_empty())
        .into_iter()
        .collect();
    lines.extend(e.blame.iter().map(Blame::text));
    lines
}

/// Clusters: VPC id -> AZ id -> node indices (AZ `None`: in the VPC, no AZ).
type Clusters = Vec<(String, Vec<(Option<String>, Vec<usize>)>)>;

fn clusters(nodes: &[PNode]) -> (Clusters, Vec<usize>) {
    let mut out: Clusters = Vec::new();
    let mut free = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        let Some(vpc) = &n.vpc else {
            free.push(i);
            continue;
        };
        let vi = match out.iter().position(|(v, _)| v == vpc) {
            Some(vi) => vi,
            None => {
                out.push((vpc.clone(), Vec::new()));
                out.len() - 1
            }
        };
        let azs = &mut out[vi].1;
        let ai = match azs.iter().position(|(a, _)| *a == n.az) {
            Some(ai) => ai,
            None => {
                azs.push((n.az.clone(), Vec::new()));
                azs.len() - 1
            }
        };
        azs[ai].1.push(i);
    }
    // AZ clusters in AZ id order, the VPC-wide nodes (no AZ) last.
    for (_, azs) in &mut out {
        azs.sort_by(|a, b| match (&a.0, &b.0) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(_), None) => std::cmp::Ordering::Less,
            (Some(x), Some(y)) => x.cmp(y),
        });
    }
    (out, free)
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn dot_label(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| dot_escape(l))
        .collect::<Vec<_>>()
        .join("\\n")
}

fn to_dot(m: &Merged) -> String {
    let mut bytes: Vec<u8> = Vec::new();
    {
        let mut writer = DotWriter::from(&mut bytes);
        writer.set_pretty_print(true);
        let mut g = writer.digraph();
        g.graph_attributes()
            .set("rankdir", "LR", false)
            .set("fontname", "Helvetica", true)
            .set("fontsize", "11", false)
            .set("nodesep", "0.3", false)
            .set("ranksep", "0.6", false)
            .set("labelloc", "t", false)
            .set(
                "label",
                "efs-preflight: mount paths (red: blamed by a finding, grey dashed: unknown)",
                true,
            );
        g.node_attributes()
            .set("shape", "box", false)
            .set("style", "rounded", true)
            .set("fontname", "Helvetica", true)
            .set("fontsize", "10", false);
        g.edge_attributes()
            .set("fontname", "Helvetica", true)
            .set("fontsize", "9", false)
            .set("color", "#607d8b", true)
            .set("fontcolor", "#455a64", true);
        let (vpcs, free) = clusters(m.nodes);
        for i in free {
            write_dot_node(&mut g, m, i);
        }
        for (vpc, azs) in &vpcs {
            let mut c = g.cluster();
            c.graph_attributes()
                .set_label(&format!("VPC {vpc}"))
                .set("style", "rounded", true)
                .set("color", "#90a4ae", true);
            for (az, nodes) in azs {
                match az {
                    Some(az) => {
                        let mut a = c.cluster();
                        a.graph_attributes()
                            .set_label(&format!("AZ {az}"))
                            .set("style", "dashed", true)
                            .set("color", "#b0bec5", true);
                        for &i in nodes {
                            write_dot_node(&mut a, m, i);
                        }
                    }
                    None => {
                        for &i in nodes {
                            write_dot_node(&mut c, m, i);
                        }
                    }
                }
            }
        }
        let index = m.index();
        let id_of = |key: &str| index.get(key).map(|i| format!("n{i}"));
        for e in m.edges {
            let (Some(from), Some(to)) = (id_of(&e.from), id_of(&e.to)) else {
                continue;
            };
            let edge = g.edge(&from, &to);
            let mut attrs = edge.attributes();
            let lines = edge_lines(e);
            if !lines.is_empty() {
                attrs.set("label", &dot_label(&lines), true);
            }
            match e.kind {
                EdgeKind::Link => {
                    attrs.set("arrowsize", "0.6", false);
                }
                EdgeKind::Nfs => {
                    attrs.set("penwidth", "2", false).set("dir", "both", false);
                }
                EdgeKind::Dns => {
                    attrs.set("style", "dotted", false);
                }
                EdgeKind::Iam => {
                    attrs.set("penwidth", "1.5", false);
                }
                EdgeKind::Missing => {
                    attrs.set("style", "dashed", false);
                }
            }
            match e.worst() {
                Some(Status::Fail | Status::Warn) => {
                    attrs
                        .set("color", RED, true)
                        .set("fontcolor", RED, true)
                        .set("penwidth", "2.5", false);
                }
                Some(Status::Unknown) => {
                    attrs
                        .set("color", GREY, true)
                        .set("fontcolor", GREY, true)
                        .set("style", "dashed", false);
                }
                Some(Status::Pass) | None => {}
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn write_dot_node(scope: &mut dot_writer::Scope<'_, '_>, m: &Merged, i: usize) {
    let n = &m.nodes[i];
    let mut node = scope.node_named(format!("n{i}"));
    node.set("label", &dot_label(&node_lines(n)), true);
    if matches!(n.kind, NodeKind::Role | NodeKind::Policy) {
        node.set("shape", "note", false);
    }
    let bold = if n.kind == NodeKind::Task {
        ",bold"
    } else {
        ""
    };
    match n.worst() {
        Some(Status::Fail | Status::Warn) => {
            node.set("color", RED, true)
                .set("fontcolor", RED, true)
                .set("fillcolor", RED_FILL, true)
                .set("penwidth", "2", false)
                .set("style", "rounded,filled,bold", true);
        }
        Some(Status::Unknown) => {
            node.set("color", GREY, true)
                .set("fillcolor", GREY_FILL, true)
                .set("style", &format!("rounded,filled,dashed{bold}"), true);
        }
        Some(Status::Pass) | None => {
            if n.kind == NodeKind::Task {
                node.set("style", "rounded,bold", true);
            }
        }
    }
}

/// Text for a Mermaid label: quotes, angle brackets and `#` as entity codes.
/// The length in characters of [`mermaid_escape`] of the text.
fn mermaid_escaped_len(s: &str) -> usize {
    s.chars()
        .map(|c| match c {
            '"' => "#quot;".len(),
            '<' => "#lt;".len(),
            '>' => "#gt;".len(),
            '#' => "#35;".len(),
            '|' => "#124;".len(),
            _ => 1,
        })
        .sum()
}

/// The first line of a Mermaid flowchart.
const MERMAID_HEAD: &str = "flowchart LR\n";
/// The class definitions every Mermaid flowchart ends with.
const MERMAID_CLASSES: &str = concat!(
    "  classDef blamed fill:#fdecea,stroke:#c62828,stroke-width:2px,color:#c62828\n",
    "  classDef unknown fill:#f2f2f2,stroke:#757575,stroke-dasharray:4 3\n"
);

fn mermaid_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '|' => out.push_str("#124;"),
            _ => out.push(c),
        }
    }
    out
}

fn mermaid_label(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| mermaid_escape(l))
        .collect::<Vec<_>>()
        .join("<br/>")
}

fn to_mermaid(m: &Merged) -> String {
    let mut out = String::from(MERMAID_HEAD);
    let node_line = |out: &mut String, i: usize, indent: &str| {
        let n = &m.nodes[i];
        let label = mermaid_label(&node_lines(n));
        let _ = writeln!(out, "{indent}n{i}[\"{label}\"]");
    };
    let (vpcs, free) = clusters(m.nodes);
    for i in free {
        node_line(&mut out, i, "  ");
    }
    for (vi, (vpc, azs)) in vpcs.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph vpc{vi}[\"{}\"]",
            mermaid_escape(&format!("VPC {vpc}"))
        );
        for (ai, (az, nodes)) in azs.iter().enumerate() {
            match az {
                Some(az) => {
                    let _ = writeln!(
                        out,
                        "    subgraph vpc{vi}az{ai}[\"{}\"]",
                        mermaid_escape(&format!("AZ {az}"))
                    );
                    for &i in nodes {
                        node_line(&mut out, i, "      ");
                    }
                    out.push_str("    end\n");
                }
                None => {
                    for &i in nodes {
                        node_line(&mut out, i, "    ");
                    }
                }
            }
        }
        out.push_str("  end\n");
    }
    let index = m.index();
    let id_of = |key: &str| index.get(key).copied();
    let mut red_links = Vec::new();
    let mut grey_links = Vec::new();
    let mut count = 0usize;
    for e in m.edges {
        let (Some(from), Some(to)) = (id_of(&e.from), id_of(&e.to)) else {
            continue;
        };
        let lines = edge_lines(e);
        let arrow = match e.kind {
            EdgeKind::Link | EdgeKind::Iam => "-->",
            EdgeKind::Nfs => "<==>",
            EdgeKind::Dns | EdgeKind::Missing => "-.->",
        };
        if lines.is_empty() {
            let _ = writeln!(out, "  n{from} {arrow} n{to}");
        } else {
            let label = mermaid_label(&lines);
            let _ = writeln!(out, "  n{from} {arrow}|\"{label}\"| n{to}");
        }
        match e.worst() {
            Some(Status::Fail | Status::Warn) => red_links.push(count.to_string()),
            Some(Status::Unknown) => grey_links.push(count.to_string()),
            Some(Status::Pass) | None => {}
        }
        count += 1;
    }
    out.push_str(MERMAID_CLASSES);
    let class = |status: &[Status]| {
        m.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.worst().is_some_and(|w| status.contains(&w)))
            .map(|(i, _)| format!("n{i}"))
            .collect::<Vec<_>>()
    };
    let blamed = class(&[Status::Fail, Status::Warn]);
    if !blamed.is_empty() {
        let _ = writeln!(out, "  class {} blamed", blamed.join(","));
    }
    let unknown = class(&[Status::Unknown]);
    if !unknown.is_empty() {
        let _ = writeln!(out, "  class {} unknown", unknown.join(","));
    }
    if !red_links.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:{RED},stroke-width:3px,color:{RED}",
            red_links.join(",")
        );
    }
    if !grey_links.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:{GREY},stroke-dasharray:4 3",
            grey_links.join(",")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(
            PictureFormat::from_path(Path::new("out/paths.DOT")).unwrap(),
            PictureFormat::Dot
        );
        assert_eq!(
            PictureFormat::from_path(Path::new("paths.mmd")).unwrap(),
            PictureFormat::Mermaid
        );
        let err = PictureFormat::from_path(Path::new("paths.svg")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "paths.svg: the file name must end in .dot (Graphviz) or .mmd (Mermaid)"
        );
    }

    #[test]
    fn labels_are_escaped() {
        assert_eq!(dot_escape(r#"a "b" \c"#), r#"a \"b\" \\c"#);
        assert_eq!(
            mermaid_escape(r#"in "x" <y> #1 | z"#),
            "in #quot;x#quot; #lt;y#gt; #35;1 #124; z"
        );
    }

    #[test]
    fn arn_resources_are_shown_by_their_resource_part() {
        assert_eq!(
            short_id("arn:aws:iam::123456789012:role/app/web"),
            "role/app/web"
        );
        assert_eq!(
            short_id("arn:aws:ecs:us-east-1:1:task-definition/web:3"),
            "task-definition/web:3"
        );
        assert_eq!(short_id("sg-1"), "sg-1");
    }

    /// Every fixture snapshot: its paths listed without drawing are the paths drawn, and a
    /// bare drawing is never longer than the whole one.
    #[test]
    fn listed_paths_are_the_drawn_paths() {
        use crate::report::{Coverage, SourceInfo, TargetInfo};
        use crate::rules::{self, Selection};
        use crate::snapshot::{self, EstateFilter};
        use crate::target::{self, Scope};
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut files: Vec<std::path::PathBuf> = ["scenarios", "rules", "realworld"]
            .iter()
            .flat_map(|dir| std::fs::read_dir(root.join(dir)).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        let mut alone = 0;
        for file in files {
            let Ok(snap) = snapshot::load(&file) else {
                continue;
            };
            let states = snap.into_estates(&EstateFilter::default());
            let graphs: Vec<Graph<'_>> = states.iter().map(Graph::build).collect();
            let targets: Vec<Vec<Target<'_>>> = graphs
                .iter()
                .map(|g| target::select_services(g, &Scope::default()).unwrap_or_default())
                .collect();
            let mut findings = Vec::new();
            let mut infos = Vec::new();
            let mut views = Vec::new();
            for (graph, ts) in graphs.iter().zip(&targets) {
                let first = infos.len();
                findings.extend(
                    rules::run(graph, ts, &Selection::default())
                        .into_iter()
                        .map(|mut f| {
                            f.target += first;
                            f
                        }),
                );
                infos.extend(ts.iter().map(TargetInfo::from_target));
                views.push(EstateView {
                    graph,
                    targets: ts,
                    first_target: first,
                });
            }
            let report = Report {
                tool: crate::report::tool_name(),
                source: SourceInfo::default(),
                targets: infos,
                findings,
                rules: Selection::default().rules(),
                coverage: Coverage::default(),
                estates: Vec::new(),
            };
            for show_passed in [false, true] {
                let drawn = Pictures::build(&report, &views, show_passed);
                let listed = PathList::new(&report, &views, show_passed);
                assert_eq!(listed.len(), drawn.len(), "{}", file.display());
                for i in 0..drawn.len() {
                    assert_eq!(listed.path_targets(i), drawn.path_targets(i));
                    let chart = drawn.mermaid_of(i);
                    assert_eq!(listed.mermaid_of(i), chart, "{}", file.display());
                    assert!(listed.mermaid_len_at_least(i) <= chart.chars().count());
                    // Drawn whole, the bound is close: only subgraphs and styles are left out.
                    let whole = drawn.paths[i].mermaid_len_at_least();
                    assert!(whole <= chart.chars().count(), "{}", file.display());
                    assert!(
                        whole * 10 >= chart.chars().count() * 7,
                        "{whole} of {chart}"
                    );
                    if matches!(listed.paths[i], Listed::Alone { .. }) {
                        alone += 1;
                        assert!(listed.mermaid_len_at_least(i) > 0);
                    }
                }
            }
        }
        assert!(alone > 20, "{alone} paths listed without drawing");
    }

    #[test]
    fn class_definitions_use_the_colours() {
        assert_eq!(
            MERMAID_CLASSES,
            format!(
                "  classDef blamed fill:{RED_FILL},stroke:{RED},stroke-width:2px,color:{RED}\n  classDef unknown fill:{GREY_FILL},stroke:{GREY},stroke-dasharray:4 3\n"
            )
        );
        assert_eq!(
            mermaid_escaped_len("a\"<>#|é"),
            mermaid_escape("a\"<>#|é").chars().count()
        );
    }

    #[test]
    fn many_targets_get_one_title() {
        let names: Vec<String> = (1..=6).map(|i| format!("prod/s{i}")).collect();
        assert_eq!(
            task_title(&names),
            "6 targets: prod/s1, prod/s2, prod/s3, prod/s4 and 2 more"
        );
    }
}
