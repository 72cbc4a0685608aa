//! The RDF graph that every file's statements are merged into: triples indexed by subject.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// A node or value of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Term {
    /// A resource named by an IRI.
    Iri(Rc<str>),
    /// A resource without a name; the number is unique in the whole graph (each file's blank
    /// nodes are numbered apart, so two files never share one).
    Blank(u64),
    /// A literal value (datatypes and languages are not kept: LRDF values are numbers and
    /// labels).
    Literal(Rc<str>),
}

impl Term {
    pub(crate) fn iri(&self) -> Option<&str> {
        match self {
            Term::Iri(iri) => Some(iri),
            _ => None,
        }
    }

    pub(crate) fn literal(&self) -> Option<&str> {
        match self {
            Term::Literal(text) => Some(text),
            _ => None,
        }
    }
}

/// One statement: `subject predicate object`. Predicates are always IRIs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Triple {
    pub(crate) subject: Term,
    pub(crate) predicate: Rc<str>,
    pub(crate) object: Term,
}

/// A set of triples (a statement made twice, for example by the same file installed in two
/// directories, is kept once), in the order they were first added, indexed by subject.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    triples: Vec<Triple>,
    seen: HashSet<Triple>,
    by_subject: HashMap<Term, Vec<usize>>,
    next_blank: u64,
}

impl Graph {
    /// A number of blank nodes that no other file's blank nodes share, for a file that numbers
    /// its own from 0 to `count - 1`: they become `base..base + count`.
    pub(crate) fn reserve_blanks(&mut self, count: u64) -> u64 {
        let base = self.next_blank;
        self.next_blank = self.next_blank.saturating_add(count);
        base
    }

    pub(crate) fn insert(&mut self, triple: Triple) {
        if self.seen.contains(&triple) {
            return;
        }
        self.seen.insert(triple.clone());
        let index = self.triples.len();
        self.by_subject
            .entry(triple.subject.clone())
            .or_default()
            .push(index);
        self.triples.push(triple);
    }

    /// Every subject, in the order of its first statement.
    pub(crate) fn subjects(&self) -> impl Iterator<Item = &Term> {
        let mut seen = HashSet::new();
        self.triples
            .iter()
            .map(|triple| &triple.subject)
            .filter(move |subject| seen.insert(*subject))
    }

    /// The objects of `subject predicate ?`, in document order.
    pub(crate) fn objects<'g>(
        &'g self,
        subject: &Term,
        predicate: &'g str,
    ) -> impl Iterator<Item = &'g Term> + 'g {
        self.by_subject
            .get(subject)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|&index| &self.triples[index])
            .filter(move |triple| &*triple.predicate == predicate)
            .map(|triple| &triple.object)
    }

    /// The first literal of `subject predicate ?`, if any.
    pub(crate) fn literal<'g>(&'g self, subject: &Term, predicate: &'g str) -> Option<&'g str> {
        self.objects(subject, predicate).find_map(Term::literal)
    }

    /// Whether `subject rdf:type class` is stated.
    pub(crate) fn has_type(&self, subject: &Term, class: &str) -> bool {
        self.objects(subject, super::vocabulary::RDF_TYPE)
            .any(|object| object.iri() == Some(class))
    }
}
