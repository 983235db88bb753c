//! A compact DOM for html5ever: the tree `scraper` builds (same nodes, same
//! order, same text merging), in about a third of its memory.
//!
//! `scraper` keeps every node in a 128-byte slot; a page of a million tiny
//! paragraphs (two million nodes) took 268 MB in its tree alone. Here a node is 28
//! bytes (tree links and a kind), with element names and attributes and the text
//! of text nodes in side tables. The HTML normalizer reads the page from this
//! tree; `scraper` is still used where CSS selectors are needed (`--select`,
//! `--remove`), and [`Dom::preorder`] matches its nodes to these.

use std::borrow::Cow;
use std::cell::RefCell;

use html5ever::driver::ParseOpts;
use html5ever::interface::{ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, LocalName, Namespace, QualName};

/// No node (the parent of the root, the sibling of an only child).
pub const NONE: u32 = u32::MAX;

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Document,
    /// A template's contents (scraper's `Fragment`).
    Fragment,
    /// An element: its index in [`Dom::elements`].
    Element(u32),
    /// A text node: its index in [`Dom::texts`].
    Text(u32),
    /// Comment, doctype, processing instruction.
    Other,
}

#[derive(Debug, Clone, Copy)]
pub struct Node {
    pub parent: u32,
    pub first_child: u32,
    pub last_child: u32,
    pub prev_sibling: u32,
    pub next_sibling: u32,
    pub kind: Kind,
}

#[derive(Debug)]
pub struct Element {
    pub ns: Namespace,
    pub local: LocalName,
    pub attrs: Vec<Attribute>,
}

/// A parsed page. Node 0 is the document; nodes are numbered in creation order.
#[derive(Debug, Default)]
pub struct Dom {
    pub nodes: Vec<Node>,
    pub elements: Vec<Element>,
    pub texts: Vec<StrTendril>,
}

impl Dom {
    /// Parses a document as `scraper::Html::parse_document` does (default options).
    pub fn parse(html: &str) -> Dom {
        let sink = Sink(RefCell::new(Dom::new()));
        html5ever::parse_document(sink, ParseOpts::default()).one(html)
    }

    fn new() -> Dom {
        let mut dom = Dom::default();
        dom.push(Kind::Document);
        dom
    }

    fn push(&mut self, kind: Kind) -> u32 {
        let id = u32::try_from(self.nodes.len()).expect("fewer than 4 billion nodes");
        self.nodes.push(Node {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            prev_sibling: NONE,
            next_sibling: NONE,
            kind,
        });
        id
    }

    fn push_text(&mut self, text: StrTendril) -> u32 {
        let index = self.texts.len() as u32;
        self.texts.push(text);
        self.push(Kind::Text(index))
    }

    pub fn element(&self, id: u32) -> Option<&Element> {
        match self.nodes[id as usize].kind {
            Kind::Element(e) => Some(&self.elements[e as usize]),
            _ => None,
        }
    }

    pub fn text(&self, id: u32) -> Option<&str> {
        match self.nodes[id as usize].kind {
            Kind::Text(t) => Some(&self.texts[t as usize]),
            _ => None,
        }
    }

    /// The text of the first `title` element in the tree (in creation order, as
    /// scraper's `select` finds it).
    pub fn title(&self) -> Option<String> {
        let id = (0..self.nodes.len() as u32).find(|&id| {
            self.nodes[id as usize].parent != NONE && self.element(id).is_some_and(|e| &*e.local == "title")
        })?;
        let mut out = String::new();
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            if let Some(t) = self.text(n) {
                out.push_str(t);
            }
            let mut c = self.nodes[n as usize].last_child;
            while c != NONE {
                stack.push(c);
                c = self.nodes[c as usize].prev_sibling;
            }
        }
        Some(out)
    }

    /// Every node reachable from the root, in document (pre-)order.
    pub fn preorder(&self) -> Vec<u32> {
        let mut out = Vec::new();
        let mut stack = vec![0u32];
        while let Some(n) = stack.pop() {
            out.push(n);
            let mut c = self.nodes[n as usize].last_child;
            while c != NONE {
                stack.push(c);
                c = self.nodes[c as usize].prev_sibling;
            }
        }
        out
    }

    fn detach(&mut self, id: u32) {
        let node = self.nodes[id as usize];
        if node.parent == NONE {
            return;
        }
        let n = &mut self.nodes[id as usize];
        (n.parent, n.prev_sibling, n.next_sibling) = (NONE, NONE, NONE);
        if node.prev_sibling != NONE {
            self.nodes[node.prev_sibling as usize].next_sibling = node.next_sibling;
        } else {
            self.nodes[node.parent as usize].first_child = node.next_sibling;
        }
        if node.next_sibling != NONE {
            self.nodes[node.next_sibling as usize].prev_sibling = node.prev_sibling;
        } else {
            self.nodes[node.parent as usize].last_child = node.prev_sibling;
        }
    }

    fn append_id(&mut self, parent: u32, child: u32) {
        let last = self.nodes[parent as usize].last_child;
        if last == child {
            return;
        }
        self.detach(child);
        let c = &mut self.nodes[child as usize];
        (c.parent, c.prev_sibling) = (parent, last);
        if last != NONE {
            self.nodes[last as usize].next_sibling = child;
        } else {
            self.nodes[parent as usize].first_child = child;
        }
        self.nodes[parent as usize].last_child = child;
    }

    fn insert_before(&mut self, sibling: u32, new: u32) {
        self.detach(new);
        let s = self.nodes[sibling as usize];
        let n = &mut self.nodes[new as usize];
        (n.parent, n.prev_sibling, n.next_sibling) = (s.parent, s.prev_sibling, sibling);
        if s.prev_sibling != NONE {
            self.nodes[s.prev_sibling as usize].next_sibling = new;
        } else {
            self.nodes[s.parent as usize].first_child = new;
        }
        self.nodes[sibling as usize].prev_sibling = new;
    }

    /// Appends text to `parent`, merged into its last child when that is text.
    fn append_text(&mut self, parent: u32, text: StrTendril) {
        let last = self.nodes[parent as usize].last_child;
        if last != NONE {
            if let Kind::Text(t) = self.nodes[last as usize].kind {
                self.texts[t as usize].push_tendril(&text);
                return;
            }
        }
        let id = self.push_text(text);
        self.append_id(parent, id);
    }
}

/// An element's name, as the tree builder asks for it.
#[derive(Debug)]
pub struct Name {
    ns: Namespace,
    local: LocalName,
}

impl ElemName for Name {
    fn ns(&self) -> &Namespace {
        &self.ns
    }

    fn local_name(&self) -> &LocalName {
        &self.local
    }
}

struct Sink(RefCell<Dom>);

/// The operations of scraper's `HtmlTreeSink`, on the compact tree.
impl TreeSink for Sink {
    type Handle = u32;
    type Output = Dom;
    type ElemName<'a> = Name;

    fn finish(self) -> Dom {
        self.0.into_inner()
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> u32 {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a u32) -> Name {
        let dom = self.0.borrow();
        // The tree builder asks only for elements' names.
        let e = dom.element(*target).expect("an element");
        Name { ns: e.ns.clone(), local: e.local.clone() }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _flags: ElementFlags) -> u32 {
        let template = name.ns == html5ever::ns!(html) && name.local == html5ever::local_name!("template");
        let mut dom = self.0.borrow_mut();
        let index = dom.elements.len() as u32;
        dom.elements.push(Element { ns: name.ns, local: name.local, attrs });
        let id = dom.push(Kind::Element(index));
        if template {
            let contents = dom.push(Kind::Fragment);
            dom.append_id(id, contents);
        }
        id
    }

    fn create_comment(&self, _text: StrTendril) -> u32 {
        self.0.borrow_mut().push(Kind::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> u32 {
        self.0.borrow_mut().push(Kind::Other)
    }

    fn append(&self, parent: &u32, child: NodeOrText<u32>) {
        let mut dom = self.0.borrow_mut();
        match child {
            NodeOrText::AppendNode(id) => dom.append_id(*parent, id),
            NodeOrText::AppendText(text) => dom.append_text(*parent, text),
        }
    }

    fn append_based_on_parent_node(&self, element: &u32, prev_element: &u32, child: NodeOrText<u32>) {
        let has_parent = self.0.borrow().nodes[*element as usize].parent != NONE;
        if has_parent {
            self.append_before_sibling(element, child)
        } else {
            self.append(prev_element, child)
        }
    }

    fn append_doctype_to_document(&self, _name: StrTendril, _public: StrTendril, _system: StrTendril) {
        let mut dom = self.0.borrow_mut();
        let id = dom.push(Kind::Other);
        dom.append_id(0, id);
    }

    fn get_template_contents(&self, target: &u32) -> u32 {
        self.0.borrow().nodes[*target as usize].first_child
    }

    fn same_node(&self, x: &u32, y: &u32) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &u32, new_node: NodeOrText<u32>) {
        let mut dom = self.0.borrow_mut();
        if let NodeOrText::AppendNode(id) = new_node {
            dom.detach(id);
        }
        if dom.nodes[*sibling as usize].parent == NONE {
            return;
        }
        match new_node {
            NodeOrText::AppendNode(id) => dom.insert_before(*sibling, id),
            NodeOrText::AppendText(text) => {
                let prev = dom.nodes[*sibling as usize].prev_sibling;
                if prev != NONE {
                    if let Kind::Text(t) = dom.nodes[prev as usize].kind {
                        dom.texts[t as usize].push_tendril(&text);
                        return;
                    }
                }
                let id = dom.push_text(text);
                dom.insert_before(*sibling, id);
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &u32, attrs: Vec<Attribute>) {
        let mut dom = self.0.borrow_mut();
        let Kind::Element(e) = dom.nodes[*target as usize].kind else {
            return;
        };
        let element = &mut dom.elements[e as usize];
        for attr in attrs {
            if !element.attrs.iter().any(|a| a.name == attr.name) {
                element.attrs.push(attr);
            }
        }
    }

    fn remove_from_parent(&self, target: &u32) {
        self.0.borrow_mut().detach(*target);
    }

    fn reparent_children(&self, node: &u32, new_parent: &u32) {
        let mut dom = self.0.borrow_mut();
        let mut child = dom.nodes[*node as usize].first_child;
        while child != NONE {
            let next = dom.nodes[child as usize].next_sibling;
            dom.append_id(*new_parent, child);
            child = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of a tree as (depth, description) in document order.
    fn shape_of_scraper(html: &scraper::Html) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for edge in html.tree.root().traverse() {
            if let ego_tree::iter::Edge::Open(n) = edge {
                let depth = n.ancestors().count();
                let what = match n.value() {
                    scraper::Node::Document => "#document".to_string(),
                    scraper::Node::Fragment => "#fragment".to_string(),
                    scraper::Node::Element(e) => {
                        let mut attrs: Vec<String> = e.attrs().map(|(k, v)| format!("{k}={v}")).collect();
                        attrs.sort();
                        format!("<{}> {}", e.name(), attrs.join(" "))
                    }
                    scraper::Node::Text(t) => format!("{:?}", &**t),
                    _ => "#other".to_string(),
                };
                out.push((depth, what));
            }
        }
        out
    }

    fn shape_of_dom(dom: &Dom) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for id in dom.preorder() {
            let mut depth = 0;
            let mut p = dom.nodes[id as usize].parent;
            while p != NONE {
                depth += 1;
                p = dom.nodes[p as usize].parent;
            }
            let what = match dom.nodes[id as usize].kind {
                Kind::Document => "#document".to_string(),
                Kind::Fragment => "#fragment".to_string(),
                Kind::Element(e) => {
                    let e = &dom.elements[e as usize];
                    let mut attrs: Vec<String> =
                        e.attrs.iter().map(|a| format!("{}={}", a.name.local, a.value)).collect();
                    attrs.sort();
                    format!("<{}> {}", e.local, attrs.join(" "))
                }
                Kind::Text(t) => format!("{:?}", &*dom.texts[t as usize]),
                Kind::Other => "#other".to_string(),
            };
            out.push((depth, what));
        }
        out
    }

    #[test]
    fn the_compact_tree_is_the_tree_scraper_builds() {
        // Misnested formatting (adoption agency), tables with stray text (foster
        // parenting), templates, repeated <body> attributes, comments and a doctype.
        let pages = [
            "<!DOCTYPE html><html><head><title>T <b>x</b></title></head><body class=a><p>One<p>Two",
            "<body id=x><b>bold <i>both</b> italic</i> after<body class=late hidden>",
            "<table>stray<tr><td>cell</td>more</tr><!-- c --></table>text",
            "<font><p>a<p>b</font>c<template><p>inside</p></template><div>d</div>",
            "<ul><li>one<li>two<ol><li>nested</ol></ul><dl><dt>t<dd>d</dl><pre>\n pre</pre>",
            "<svg><title>svg</title></svg><math><mi>x</mi></math><select><option>o</select>",
            "<a href=#x><div>block in link</div></a><form><input name=q></form><?pi x?>",
        ];
        for page in pages {
            let scraper = scraper::Html::parse_document(page);
            let dom = Dom::parse(page);
            assert_eq!(shape_of_dom(&dom), shape_of_scraper(&scraper), "{page}");
            let title = scraper::Selector::parse("title").expect("selector");
            let expected = scraper.select(&title).next().map(|t| t.text().collect::<String>());
            assert_eq!(dom.title(), expected, "{page}");
        }
    }
}
