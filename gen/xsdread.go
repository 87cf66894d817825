package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// xsdNS is the XML Schema namespace.
const xsdNS = "http://www.w3.org/2001/XMLSchema"

// qname is a resolved XML qualified name.
type qname struct{ Space, Local string }

func (q qname) String() string {
	if q.Space == "" {
		return q.Local
	}
	return "{" + q.Space + "}" + q.Local
}

// node is one element of a schema document, with the namespace
// declarations in scope so that QName-valued attributes (type=, ref=,
// base=, memberTypes=) can be resolved. xgen's parsed model does not keep
// them (toolchain D3), which is why gen reads the schema itself as well.
type node struct {
	Name     qname
	Attrs    map[string]string
	Children []*node
	Text     string
	Line     int
	scope    map[string]string // prefix -> namespace URI; "" is the default namespace
}

func (n *node) attr(name string) string { return n.Attrs[name] }

func (n *node) has(name string) bool {
	_, ok := n.Attrs[name]
	return ok
}

// children returns the XSD-namespace children named local ("" for all
// XSD children).
func (n *node) children(local string) []*node {
	var out []*node
	for _, c := range n.Children {
		if c.Name.Space == xsdNS && (local == "" || c.Name.Local == local) {
			out = append(out, c)
		}
	}
	return out
}

func (n *node) child(local string) *node {
	if cs := n.children(local); len(cs) > 0 {
		return cs[0]
	}
	return nil
}

// resolve turns a QName attribute value into a namespace and local name.
func (n *node) resolve(v string) (qname, error) {
	v = strings.TrimSpace(v)
	prefix, local, ok := strings.Cut(v, ":")
	if !ok {
		prefix, local = "", v
	}
	ns, found := n.scope[prefix]
	if !found && prefix != "" {
		return qname{}, fmt.Errorf("line %d: undeclared namespace prefix %q in %q", n.Line, prefix, v)
	}
	return qname{Space: ns, Local: local}, nil
}

// doc returns the whitespace-normalised text of the node's
// xs:annotation/xs:documentation children.
func (n *node) doc() string {
	var parts []string
	for _, a := range n.children("annotation") {
		for _, d := range a.children("documentation") {
			if t := strings.Join(strings.Fields(d.Text), " "); t != "" {
				parts = append(parts, t)
			}
		}
	}
	return strings.Join(parts, " ")
}

// readSchema parses an XSD document into a node tree. It never fetches
// anything: DTDs and external entities are not supported (encoding/xml does
// not process them), and imports are only recorded.
func readSchema(src []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(src))
	d.Strict = true
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := d.InputPos()
		switch t := tok.(type) {
		case xml.StartElement:
			scope := map[string]string{"xml": "http://www.w3.org/XML/1998/namespace"}
			if len(stack) > 0 {
				scope = stack[len(stack)-1].scope
			}
			n := &node{Name: qname(t.Name), Attrs: map[string]string{}, Line: line, scope: scope}
			copied := false
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns"):
					if !copied {
						n.scope = make(map[string]string, len(scope)+1)
						for k, v := range scope {
							n.scope[k] = v
						}
						copied = true
					}
					if a.Name.Space == "xmlns" {
						n.scope[a.Name.Local] = a.Value
					} else {
						n.scope[""] = a.Value
					}
				case a.Name.Space == "":
					n.Attrs[a.Name.Local] = a.Value
				}
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(t)
			}
		case xml.Directive:
			return nil, fmt.Errorf("line %d: DTDs are not supported in schemas", line)
		}
	}
	if root == nil || root.Name != (qname{xsdNS, "schema"}) {
		return nil, fmt.Errorf("not an XML Schema: the root element must be {%s}schema", xsdNS)
	}
	return root, nil
}
