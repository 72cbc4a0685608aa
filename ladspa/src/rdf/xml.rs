//! Reading one RDF/XML document into triples.
//!
//! The grammar read is the part of RDF/XML that LRDF files use, listed in the
//! [module documentation](super#the-rdfxml-read); a file is read whole or not at all.

use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

use roxmltree::{Attribute, Document, Node, ParsingOptions};

use super::error::RdfError;
use super::graph::{Term, Triple};
use super::vocabulary::{RDF, RDF_TYPE, XML};

/// How deeply node and property elements may nest. LRDF files nest 9 deep (plugin, port, scale,
/// point and the properties between them); the limit keeps hostile input from exhausting the
/// stack of the recursive reader.
pub const MAX_DEPTH: usize = 64;

/// How many XML nodes one file may expand to (entity expansion included), so that a small
/// hostile file cannot take all memory.
pub(crate) const MAX_XML_NODES: u32 = 1_000_000;

/// The triples of one document. Blank nodes are numbered from 0 within it.
#[derive(Debug)]
pub(crate) struct Statements {
    pub(crate) triples: Vec<Triple>,
    pub(crate) blank_count: u64,
}

/// Parses `text` (the contents of `path`) as RDF/XML.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Statements, RdfError> {
    let options = ParsingOptions {
        // Every LRDF file declares its namespaces as DTD entities (`&ladspa;`).
        allow_dtd: true,
        nodes_limit: MAX_XML_NODES,
        ..ParsingOptions::default()
    };
    let document = Document::parse_with_options(text, options).map_err(|error| {
        let position = error.pos();
        let message = error.to_string();
        let message = message
            .strip_suffix(&format!(" at {position}"))
            .unwrap_or(&message);
        RdfError::Xml {
            path: path.to_owned(),
            line: position.row,
            column: position.col,
            message: message.to_owned(),
        }
    })?;
    let mut reader = Reader {
        path,
        document: &document,
        base: format!("file://{}", path.display()),
        triples: Vec::new(),
        blank_count: 0,
        node_ids: HashMap::new(),
    };
    let root = document.root_element();
    if !is_rdf(root, "RDF") {
        return Err(reader.error(root, "the root element is not rdf:RDF"));
    }
    reader.no_text(root)?;
    for child in root.children().filter(Node::is_element) {
        reader.node_element(child, 1)?;
    }
    Ok(Statements {
        triples: reader.triples,
        blank_count: reader.blank_count,
    })
}

struct Reader<'a, 'input> {
    path: &'a Path,
    document: &'a Document<'input>,
    /// The document's base IRI, against which `rdf:ID`s and relative IRIs are resolved.
    base: String,
    triples: Vec<Triple>,
    blank_count: u64,
    node_ids: HashMap<String, u64>,
}

impl Reader<'_, '_> {
    fn error(&self, node: Node<'_, '_>, message: impl Into<String>) -> RdfError {
        let position = self.document.text_pos_at(node.range().start);
        RdfError::Rdf {
            path: self.path.to_owned(),
            line: position.row,
            column: position.col,
            message: message.into(),
        }
    }

    fn new_blank(&mut self) -> Term {
        self.blank_count += 1;
        Term::Blank(self.blank_count - 1)
    }

    /// The blank node of an `rdf:nodeID`: the same for the same name within the document.
    fn named_blank(&mut self, id: &str) -> Term {
        let next = self.blank_count;
        let number = *self.node_ids.entry(id.to_owned()).or_insert(next);
        if number == next {
            self.blank_count += 1;
        }
        Term::Blank(number)
    }

    fn add(&mut self, subject: &Term, predicate: &str, object: Term) {
        self.triples.push(Triple {
            subject: subject.clone(),
            predicate: Rc::from(predicate),
            object,
        });
    }

    /// The element's IRI (namespace and local name), refusing elements without a namespace.
    fn element_iri(&self, element: Node<'_, '_>, depth: usize) -> Result<String, RdfError> {
        if depth > MAX_DEPTH {
            return Err(self.error(element, format!("elements nest deeper than {MAX_DEPTH}")));
        }
        let name = element.tag_name();
        match name.namespace() {
            Some(namespace) => Ok(format!("{namespace}{}", name.name())),
            None => Err(self.error(
                element,
                format!("element <{}> has no namespace", name.name()),
            )),
        }
    }

    /// Refuses text (other than white space) among an element's children.
    fn no_text(&self, element: Node<'_, '_>) -> Result<(), RdfError> {
        match element
            .children()
            .find(|child| child.is_text() && !child.text().unwrap_or("").trim().is_empty())
        {
            Some(text) => Err(self.error(text, "text where only elements may be")),
            None => Ok(()),
        }
    }

    /// Resolves an IRI reference against the document's base: absolute ones (with a scheme)
    /// are kept, `#fragment`s and relative paths are joined to the base.
    fn resolve(&self, reference: &str) -> String {
        let scheme_end = reference.find(':');
        let path_start = reference.find(['/', '?', '#']);
        let is_absolute = match (scheme_end, path_start) {
            (Some(colon), Some(path)) => colon < path,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if is_absolute {
            reference.to_owned()
        } else if reference.is_empty() || reference.starts_with('#') {
            let document = self.base.split('#').next().unwrap_or_default();
            format!("{document}{reference}")
        } else {
            let directory = self.base.rfind('/').map_or("", |end| &self.base[..=end]);
            format!("{directory}{reference}")
        }
    }

    /// Reads a node element and its properties; returns the node.
    fn node_element(&mut self, element: Node<'_, '_>, depth: usize) -> Result<Term, RdfError> {
        let iri = self.element_iri(element, depth)?;
        let about = attribute(element, RDF, "about");
        let id = attribute(element, RDF, "ID");
        let node_id = attribute(element, RDF, "nodeID");
        let subject = match (about, id, node_id) {
            (Some(about), None, None) => Term::Iri(self.resolve(about).into()),
            (None, Some(id), None) => Term::Iri(self.resolve(&format!("#{id}")).into()),
            (None, None, Some(node_id)) => self.named_blank(node_id),
            (None, None, None) => self.new_blank(),
            _ => {
                return Err(self.error(
                    element,
                    "a node has more than one of rdf:about, rdf:ID and rdf:nodeID",
                ));
            }
        };
        if iri != format!("{RDF}Description") {
            self.add(&subject, RDF_TYPE, Term::Iri(iri.into()));
        }
        self.property_attributes(element, &subject, NODE_SYNTAX);
        self.no_text(element)?;
        let mut list_index = 0;
        for child in element.children().filter(Node::is_element) {
            self.property_element(child, &subject, depth + 1, &mut list_index)?;
        }
        Ok(subject)
    }

    /// Adds the property attributes of `element` ([`is_property_attribute`]) as statements
    /// about `subject`.
    fn property_attributes(&mut self, element: Node<'_, '_>, subject: &Term, syntax: &[&str]) {
        for attribute in element.attributes() {
            let (Some(namespace), true) = (
                attribute.namespace(),
                is_property_attribute(&attribute, syntax),
            ) else {
                continue;
            };
            let predicate = format!("{namespace}{}", attribute.name());
            let object = if predicate == RDF_TYPE {
                Term::Iri(self.resolve(attribute.value()).into())
            } else {
                Term::Literal(attribute.value().into())
            };
            self.add(subject, &predicate, object);
        }
    }

    /// Reads a property element of `subject`.
    fn property_element(
        &mut self,
        element: Node<'_, '_>,
        subject: &Term,
        depth: usize,
        list_index: &mut u64,
    ) -> Result<(), RdfError> {
        let mut predicate = self.element_iri(element, depth)?;
        if predicate == format!("{RDF}li") {
            *list_index += 1;
            predicate = format!("{RDF}_{list_index}");
        }
        let has_property_attributes = element
            .attributes()
            .any(|attribute| is_property_attribute(&attribute, PROPERTY_SYNTAX));
        let children: Vec<Node<'_, '_>> = element.children().filter(Node::is_element).collect();
        let resource = attribute(element, RDF, "resource");
        let node_id = attribute(element, RDF, "nodeID");
        let object = match attribute(element, RDF, "parseType") {
            Some("Resource") => {
                self.no_text(element)?;
                let object = self.new_blank();
                let mut inner_index = 0;
                for child in children {
                    self.property_element(child, &object, depth + 1, &mut inner_index)?;
                }
                object
            }
            Some("Collection") => {
                self.no_text(element)?;
                self.collection(&children, depth)?
            }
            // RDF/XML reads every other parse type as "Literal": the text is kept, the markup
            // is not (no LRDF property holds markup).
            Some(_) => Term::Literal(text_content(element).into()),
            None if children.len() > 1 => {
                return Err(self.error(element, "a property element holds more than one node"));
            }
            None if children.len() == 1 => {
                if resource.is_some() || node_id.is_some() || has_property_attributes {
                    return Err(self.error(
                        element,
                        "a property element has both a nested node and a reference or properties",
                    ));
                }
                self.no_text(element)?;
                self.node_element(children[0], depth + 1)?
            }
            None if resource.is_some() || node_id.is_some() || has_property_attributes => {
                self.no_text(element)?;
                let object = match (resource, node_id) {
                    (Some(resource), None) => Term::Iri(self.resolve(resource).into()),
                    (None, Some(node_id)) => self.named_blank(node_id),
                    (None, None) => self.new_blank(),
                    (Some(_), Some(_)) => {
                        return Err(self.error(element, "both rdf:resource and rdf:nodeID"));
                    }
                };
                self.property_attributes(element, &object, PROPERTY_SYNTAX);
                object
            }
            None => Term::Literal(text_content(element).into()),
        };
        self.add(subject, &predicate, object);
        Ok(())
    }

    /// An `rdf:parseType="Collection"`: a list of the nodes, as `rdf:first`/`rdf:rest` cells.
    fn collection(&mut self, nodes: &[Node<'_, '_>], depth: usize) -> Result<Term, RdfError> {
        let mut items = Vec::with_capacity(nodes.len());
        for &node in nodes {
            items.push(self.node_element(node, depth + 1)?);
        }
        let mut list = Term::Iri(format!("{RDF}nil").into());
        for item in items.into_iter().rev() {
            let cell = self.new_blank();
            self.add(&cell, &format!("{RDF}first"), item);
            self.add(&cell, &format!("{RDF}rest"), list);
            list = cell;
        }
        Ok(list)
    }
}

/// The RDF attributes of a node element that are syntax, not properties.
const NODE_SYNTAX: &[&str] = &["about", "ID", "nodeID"];
/// The RDF attributes of a property element that are syntax, not properties.
const PROPERTY_SYNTAX: &[&str] = &["parseType", "resource", "nodeID", "datatype", "ID"];

/// Whether an attribute states a property: it has a namespace, and is neither XML's
/// (`xml:lang`) nor one of the RDF syntax attributes in `syntax`.
fn is_property_attribute(attribute: &Attribute<'_, '_>, syntax: &[&str]) -> bool {
    match attribute.namespace() {
        None | Some(XML) => false,
        Some(RDF) => !syntax.contains(&attribute.name()),
        Some(_) => true,
    }
}

/// The value of an attribute in a namespace.
fn attribute<'a>(element: Node<'a, '_>, namespace: &str, name: &str) -> Option<&'a str> {
    element.attribute((namespace, name))
}

fn is_rdf(element: Node<'_, '_>, name: &str) -> bool {
    element.tag_name().namespace() == Some(RDF) && element.tag_name().name() == name
}

/// The text of every text node under an element, in order.
fn text_content(element: Node<'_, '_>) -> String {
    element
        .descendants()
        .filter(Node::is_text)
        .filter_map(|node| node.text())
        .collect()
}
