#!/usr/bin/env python3
"""A second, independent reading of LRDF files, for the cross-check in tests/rdf/debian.rs.

Usage: lrdf_counts.py FILE...

Parses each file with Python's own XML parser (expat, through ElementTree: its own decoding of
ISO-8859-1 and its own expansion of DTD entities), turns the RDF/XML into triples, and prints
what the files say about each unique ID, one fact a line, fields separated by tabs:

    plugin  ID  CLASS,CLASS...          (the ladspa:*Plugin types stated)
    point   ID  PORT  VALUE  LABEL      (a scale point)
    preset  ID  N  default|preset NAME  (the N-th setting, from 0)
    value   ID  N  PORT  VALUE          (a value of setting N)
    failed  FILE  MESSAGE               (a file that could not be read)

The rules are the ones that ladspa_host::rdf documents, written again here from the RDF/XML
specification rather than from the Rust code: a plugin is an IRI ladspa:<digits>, a port
ladspa:<digits>.<digits>, and a node whose ladspa:hasPort objects all name ports of one ID
describes that ID. Only the standard library is used.
"""

import re
import sys
import xml.etree.ElementTree as ET

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DC = "http://purl.org/dc/elements/1.1/"
LADSPA = "http://ladspa.org/ontology#"
XML_NS = "http://www.w3.org/XML/1998/namespace"
PLUGIN_IRI = re.compile(r"^" + re.escape(LADSPA) + r"([0-9]+)$")
PORT_IRI = re.compile(r"^" + re.escape(LADSPA) + r"([0-9]+)\.([0-9]+)$")
# A C "f" suffix is allowed after a digit or point: swh-plugins.rdf writes 0.0007f.
NUMBER = re.compile(r"^([0-9+\-.eE]*[0-9.])[fF]?$")


class Blank:
    """A blank node: equal only to itself."""


def split(tag):
    """ElementTree's '{namespace}local' to (namespace, local)."""
    if tag.startswith("{"):
        namespace, local = tag[1:].split("}", 1)
        return namespace, local
    return None, tag


def read_file(path, triples):
    root = ET.parse(path).getroot()
    if root.tag != "{%s}RDF" % RDF:
        raise ValueError("root is not rdf:RDF")
    node_ids = {}
    out = []

    def resource(value):
        return ("iri", value)

    def blank_named(name):
        return node_ids.setdefault(name, ("blank", Blank()))

    def node(element):
        namespace, local = split(element.tag)
        if namespace is None:
            raise ValueError("element without namespace")
        attributes = element.attrib
        about = attributes.get("{%s}about" % RDF)
        node_id = attributes.get("{%s}nodeID" % RDF)
        if about is not None:
            subject = resource(about)
        elif node_id is not None:
            subject = blank_named(node_id)
        else:
            subject = ("blank", Blank())
        if namespace + local != RDF + "Description":
            out.append((subject, RDF + "type", resource(namespace + local)))
        for name, value in attributes.items():
            attribute_namespace, attribute_local = split(name)
            if attribute_namespace in (None, XML_NS):
                continue
            if attribute_namespace == RDF and attribute_local in ("about", "ID", "nodeID"):
                continue
            if name == "{%s}type" % RDF:
                out.append((subject, RDF + "type", resource(value)))
            else:
                out.append((subject, attribute_namespace + attribute_local, ("literal", value)))
        for child in element:
            if isinstance(child.tag, str):
                prop(subject, child)
        return subject

    def prop(subject, element):
        namespace, local = split(element.tag)
        if namespace is None:
            raise ValueError("element without namespace")
        predicate = namespace + local
        children = [child for child in element if isinstance(child.tag, str)]
        attributes = element.attrib
        parse_type = attributes.get("{%s}parseType" % RDF)
        target = attributes.get("{%s}resource" % RDF)
        if parse_type == "Resource":
            obj = ("blank", Blank())
            for child in children:
                prop(obj, child)
        elif len(children) == 1 and parse_type is None:
            obj = node(children[0])
        elif target is not None:
            obj = resource(target)
        else:
            obj = ("literal", "".join(element.itertext()))
        out.append((subject, predicate, obj))

    for child in root:
        if isinstance(child.tag, str):
            node(child)
    triples.extend(out)


def main(paths):
    triples = []
    failed = []
    for path in paths:
        try:
            read_file(path, triples)
        except (ET.ParseError, ValueError, OSError) as error:
            failed.append((path, str(error)))

    by_subject = {}
    for subject, predicate, obj in triples:
        by_subject.setdefault(subject, []).append((predicate, obj))

    def objects(subject, predicate):
        seen = []
        for p, o in by_subject.get(subject, []):
            if p == predicate and o not in seen:
                seen.append(o)
        return seen

    def literal(subject, *predicates):
        for predicate in predicates:
            for kind, value in objects(subject, predicate):
                if kind == "literal" and value.strip():
                    return value.strip()
        return None

    def number(text):
        match = NUMBER.match(text.strip()) if text is not None else None
        if match is None:
            return None
        try:
            value = float(match.group(1))
        except ValueError:
            return None
        # The number as written (without its suffix), for the Rust side to parse as f32.
        return match.group(1) if abs(value) <= 3.4028234663852886e38 else None

    plugins = {}

    def plugin(unique_id):
        return plugins.setdefault(unique_id, {"nodes": [], "ports": {}})

    for subject in by_subject:
        kind, value = subject
        match = PLUGIN_IRI.match(value) if kind == "iri" else None
        port = PORT_IRI.match(value) if kind == "iri" else None
        if match:
            plugin(int(match.group(1)))["nodes"].append(subject)
        elif port:
            plugin(int(port.group(1)))["ports"][int(port.group(2))] = subject
        else:
            ids = set()
            for kind_, port_iri in objects(subject, LADSPA + "hasPort"):
                port_match = PORT_IRI.match(port_iri) if kind_ == "iri" else None
                ids.add(int(port_match.group(1)) if port_match else None)
            if len(ids) == 1 and None not in ids:
                plugin(ids.pop())["nodes"].append(subject)

    def field(text):
        return " ".join(text.split("\t")).replace("\n", " ")

    def line(*fields):
        print("\t".join(field(str(f)) for f in fields))

    for unique_id, found in sorted(plugins.items()):
        classes = []
        for subject in found["nodes"]:
            for kind, value in objects(subject, RDF + "type"):
                if kind == "iri" and value.startswith(LADSPA) and value.endswith("Plugin"):
                    classes.append(value[len(LADSPA):])
        line("plugin", unique_id, ",".join(classes))
        for index, subject in sorted(found["ports"].items()):
            for scale in objects(subject, LADSPA + "hasScale"):
                for point in objects(scale, LADSPA + "hasPoint"):
                    value = number(literal(point, RDF + "value"))
                    label = literal(point, LADSPA + "hasLabel", RDFS + "label")
                    if value is not None and label is not None:
                        line("point", unique_id, index, value, label)
        settings = []
        for subject in found["nodes"]:
            for setting in objects(subject, LADSPA + "hasSetting"):
                if setting not in settings:
                    settings.append(setting)
        for ordinal, setting in enumerate(settings):
            is_default = ("iri", LADSPA + "Default") in objects(setting, RDF + "type")
            name = literal(setting, DC + "title", LADSPA + "hasLabel", RDFS + "label") or ""
            line("preset", unique_id, ordinal, "default" if is_default else "preset", name)
            for port_value in objects(setting, LADSPA + "hasPortValue"):
                value = number(literal(port_value, RDF + "value"))
                port_matches = [
                    PORT_IRI.match(port_iri)
                    for kind, port_iri in objects(port_value, LADSPA + "forPort")
                    if kind == "iri" and PORT_IRI.match(port_iri)
                ]
                if value is not None and port_matches:
                    if int(port_matches[0].group(1)) == unique_id:
                        line("value", unique_id, ordinal, port_matches[0].group(2), value)
    for path, message in failed:
        line("failed", path, message)


if __name__ == "__main__":
    main(sys.argv[1:])
