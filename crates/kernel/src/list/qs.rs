//! Bracket keys (`filters[0][value][1]=x`, as the `qs` library writes them) folded into a tree.
//!
//! Indices are kept as the strings the client sent and only read as numbers by
//! [`Node::items`], which sorts them, so unordered or sparse indices work and a huge index
//! costs nothing. `[]` appends. A key given twice, or used both as a value and as a parent,
//! is refused rather than guessed at.

use std::collections::BTreeMap;

use super::error::ListError;

/// A node of the decoded query: a value, or named/indexed children.
#[derive(Debug)]
pub(crate) enum Node<'a> {
    Leaf(&'a str),
    Map(BTreeMap<String, Node<'a>>),
}

/// The top level of a decoded query: parameter name -> node.
pub(crate) type Tree<'a> = BTreeMap<String, Node<'a>>;

/// Builds the tree from decoded `(key, value)` pairs.
pub(crate) fn tree(pairs: &[(String, String)]) -> Result<Tree<'_>, ListError> {
    let mut root = Tree::new();
    for (key, value) in pairs {
        let segments = split_key(key)?;
        insert(&mut root, &segments, value)
            .map_err(|message| ListError::new(key.as_str(), message))?;
    }
    Ok(root)
}

/// `a[b][0]` -> `["a", "b", "0"]`.
fn split_key(key: &str) -> Result<Vec<&str>, ListError> {
    let malformed = || ListError::new(key, "malformed parameter name");
    let (name, mut rest) = match key.find('[') {
        Some(i) => key.split_at(i),
        None => (key, ""),
    };
    if name.is_empty() || name.contains(']') {
        return Err(malformed());
    }
    let mut segments = vec![name];
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[').ok_or_else(malformed)?;
        let end = inner.find(']').ok_or_else(malformed)?;
        let segment = &inner[..end];
        if segment.contains('[') {
            return Err(malformed());
        }
        segments.push(segment);
        rest = &inner[end + 1..];
    }
    Ok(segments)
}

fn insert<'a>(root: &mut Tree<'a>, segments: &[&str], value: &'a str) -> Result<(), String> {
    let mut map = root;
    let Some((last, parents)) = segments.split_last() else {
        return Err("malformed parameter name".to_owned());
    };
    for segment in parents {
        let name = child_name(map, segment);
        let node = map
            .entry(name)
            .or_insert_with(|| Node::Map(BTreeMap::new()));
        map = match node {
            Node::Map(children) => children,
            Node::Leaf(_) => return Err("conflicts with another parameter".to_owned()),
        };
    }
    let name = child_name(map, last);
    match map.get(&name) {
        None => {
            map.insert(name, Node::Leaf(value));
            Ok(())
        }
        Some(Node::Leaf(_)) => Err("given more than once".to_owned()),
        Some(Node::Map(_)) => Err("conflicts with another parameter".to_owned()),
    }
}

/// `[]` means "the next index".
fn child_name(map: &Tree<'_>, segment: &str) -> String {
    if segment.is_empty() {
        map.len().to_string()
    } else {
        segment.to_owned()
    }
}

impl<'a> Node<'a> {
    /// The children of an array-like node, sorted by index, each with its parameter name.
    pub(crate) fn items<'n>(
        children: &'n BTreeMap<String, Node<'a>>,
        param: &str,
    ) -> Result<Vec<(String, &'n Node<'a>)>, ListError> {
        let mut items = Vec::with_capacity(children.len());
        for (key, node) in children {
            let child = format!("{param}[{key}]");
            let index = key
                .parse::<u64>()
                .ok()
                .filter(|_| key.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| ListError::new(child.as_str(), "expected a numeric index"))?;
            items.push((index, child, node));
        }
        items.sort_by_key(|(index, _, _)| *index);
        if items.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(ListError::new(param, "an index is given more than once"));
        }
        Ok(items.into_iter().map(|(_, p, n)| (p, n)).collect())
    }
}
