package main

import (
	"bytes"
	"fmt"
	"go/format"
	"strings"
)

// emitMessage renders message.go: the Message interface every global
// element implements (the mm7 package's Body, by structural typing, so the
// generated packages do not import mm7), and typed accessors for the
// header fields generic code needs (MM7Version, VASPID/VASID, MessageID,
// Recipients, Status, Content), instead of reflection. An accessor exists
// only on the messages whose schema has the field, so code can ask for it
// with an interface assertion.
func emitMessage(f *goFile) ([]byte, error) {
	var w bytes.Buffer
	w.WriteString(header(f.Source))
	fmt.Fprintf(&w, "package %s\n\n", f.Package)
	w.WriteString(`// Message is implemented by a pointer to the struct of every global element
// of the schema: the MM7 messages and the TransactionID header. It is the
// same method set as mm7.Body, so a *SubmitReq can be passed wherever the
// mm7 package takes a message, while a SubmitReq value (not a pointer) does
// not compile there.
type Message interface {
	// MM7Element returns the element's namespace and local name.
	MM7Element() (namespace, local string)
	// Validate checks the message against the schema and returns every
	// problem as a *xsdtypes.ValidationError.
	Validate() error
}

`)
	w.WriteString("var (\n")
	for _, s := range f.Elements {
		fmt.Fprintf(&w, "\t_ Message = (*%s)(nil)\n", s.Name)
	}
	w.WriteString(")\n\n")
	needXSD := false
	for _, s := range f.Elements {
		fmt.Fprintf(&w, "// MM7Element returns %s and %q.\nfunc (*%s) MM7Element() (namespace, local string) { return Namespace, %q }\n\n",
			"Namespace", s.XSDName, s.Name, s.XSDName)
		if emitAccessors(&w, f, s) {
			needXSD = true
		}
	}
	if needXSD {
		src := w.String()
		at := strings.Index(src, "\n\n// Message is")
		w.Reset()
		w.WriteString(src[:at] + fmt.Sprintf("\n\nimport %q", xsdtypesPkg) + src[at:])
	}
	out, err := format.Source(w.Bytes())
	if err != nil {
		return nil, fmt.Errorf("generated message code does not parse: %w\n%s", err, numbered(w.Bytes()))
	}
	return out, nil
}

func fieldNamed(s *goStruct, name string) *goField {
	if s == nil {
		return nil
	}
	for _, f := range s.Fields {
		if f.Name == name && !f.Attr && !f.Text {
			return f
		}
	}
	return nil
}

func structNamed(f *goFile, name string) *goStruct {
	for _, s := range f.Structs {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func emitAccessors(w *bytes.Buffer, f *goFile, s *goStruct) (needXSD bool) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	n := s.Name
	if mv := fieldNamed(s, "MM7Version"); mv != nil && !mv.Optional && !mv.Plural {
		p("// GetMM7Version returns the MM7Version element's value.\nfunc (v *%s) GetMM7Version() string { return string(v.MM7Version) }\n\n", n)
		p("// SetMM7Version sets the MM7Version element.\nfunc (v *%s) SetMM7Version(version string) { v.MM7Version = %s(version) }\n\n", n, mv.Type)
		p("// WithMM7Version returns a shallow copy of v with the given MM7Version. v\n// itself is not modified.\nfunc (v *%s) WithMM7Version(version string) Message {\n\tcp := *v\n\tcp.MM7Version = %s(version)\n\treturn &cp\n}\n\n", n, mv.Type)
	}
	// VASPID and VASID, in SenderIdentification or directly in the message
	holder, path := s, "v."
	if si := fieldNamed(s, "SenderIdentification"); si != nil && si.Struct && !si.Optional && !si.Plural {
		holder, path = structNamed(f, si.Type), "v.SenderIdentification."
	}
	vaspID, vasID := fieldNamed(holder, "VASPID"), fieldNamed(holder, "VASID")
	if vaspID != nil && vaspID.Type == "*string" {
		p("// GetVASPID returns the VASPID (of the SenderIdentification), or \"\".\nfunc (v *%s) GetVASPID() string {\n\tif %sVASPID == nil {\n\t\treturn \"\"\n\t}\n\treturn *%sVASPID\n}\n\n", n, path, path)
	}
	if vasID != nil && vasID.Type == "*string" {
		p("// GetVASID returns the VASID (of the SenderIdentification), or \"\".\nfunc (v *%s) GetVASID() string {\n\tif %sVASID == nil {\n\t\treturn \"\"\n\t}\n\treturn *%sVASID\n}\n\n", n, path, path)
	}
	if path == "v.SenderIdentification." && vaspID != nil && vasID != nil && vaspID.Type == "*string" && vasID.Type == "*string" {
		p(`// WithSenderIDs returns a shallow copy of v whose SenderIdentification has
// the given VASPID and VASID; an empty argument leaves that one as it is. v
// itself is not modified.
func (v *%s) WithSenderIDs(vaspID, vasID string) Message {
	cp := *v
	if vaspID != "" {
		cp.SenderIdentification.VASPID = &vaspID
	}
	if vasID != "" {
		cp.SenderIdentification.VASID = &vasID
	}
	return &cp
}

`, n)
	}
	if id := fieldNamed(s, "MessageID"); id != nil && !id.Plural {
		if id.Type == "*string" {
			p("// GetMessageID returns the MessageID, or \"\".\nfunc (v *%s) GetMessageID() string {\n\tif v.MessageID == nil {\n\t\treturn \"\"\n\t}\n\treturn *v.MessageID\n}\n\n", n)
			p("// SetMessageID sets the MessageID.\nfunc (v *%s) SetMessageID(id string) { v.MessageID = &id }\n\n", n)
		} else if id.Type == "string" {
			p("// GetMessageID returns the MessageID.\nfunc (v *%s) GetMessageID() string { return v.MessageID }\n\n", n)
			p("// SetMessageID sets the MessageID.\nfunc (v *%s) SetMessageID(id string) { v.MessageID = id }\n\n", n)
		}
	}
	if r := fieldNamed(s, "Recipients"); r != nil && r.Struct && !r.Plural {
		if rs := structNamed(f, strings.TrimPrefix(r.Type, "*")); rs != nil {
			var lines []string
			for _, list := range rs.Fields {
				if !list.Plural || !list.Struct {
					continue
				}
				ms := structNamed(f, strings.TrimPrefix(list.Type, "[]"))
				if ms == nil {
					continue
				}
				var adds []string
				for _, a := range ms.Fields {
					if a.Plural && !a.Attr {
						adds = append(adds, "len(m."+a.Name+")")
					}
				}
				if len(adds) > 0 {
					lines = append(lines, fmt.Sprintf("\tfor _, m := range r.%s {\n\t\tn += %s\n\t}", list.Name, strings.Join(adds, " + ")))
				}
			}
			if len(lines) > 0 {
				p("// RecipientCount returns the number of addresses in the To, Cc and Bcc\n// lists of the Recipients.\nfunc (v *%s) RecipientCount() int {\n", n)
				if r.Optional {
					p("\tif v.Recipients == nil {\n\t\treturn 0\n\t}\n")
				}
				recv := "&v.Recipients"
				if r.Optional {
					recv = "v.Recipients"
				}
				p("\tr := %s\n\tn := 0\n%s\n\treturn n\n}\n\n", recv, strings.Join(lines, "\n"))
			}
		}
	}
	if st := fieldNamed(s, "Status"); st != nil && st.Struct && !st.Optional && !st.Plural {
		ss := structNamed(f, st.Type)
		code, text := fieldNamed(ss, "StatusCode"), fieldNamed(ss, "StatusText")
		switch {
		case code != nil && text != nil && code.Type == "int" && text.Type == "string":
			p("// GetStatus returns the StatusCode and StatusText of the Status.\nfunc (v *%s) GetStatus() (code int, text string) {\n\treturn v.Status.StatusCode, v.Status.StatusText\n}\n\n", n)
			p("// SetStatus sets the StatusCode and StatusText of the Status.\nfunc (v *%s) SetStatus(code int, text string) {\n\tv.Status.StatusCode, v.Status.StatusText = code, text\n}\n\n", n)
		case code != nil && code.Type == "int":
			p("// GetStatus returns the StatusCode of the Status (the schema has no\n// StatusText here).\nfunc (v *%s) GetStatus() (code int, text string) {\n\treturn v.Status.StatusCode, \"\"\n}\n\n", n)
			p("// SetStatus sets the StatusCode of the Status; the schema has no\n// StatusText here, so text is not kept.\nfunc (v *%s) SetStatus(code int, _ string) { v.Status.StatusCode = code }\n\n", n)
		}
		if d := fieldNamed(ss, "Details"); d != nil && d.Struct && d.Optional {
			if ds := structNamed(f, stripPtr(d.Type)); ds != nil {
				if items := fieldNamed(ds, "Items"); items != nil && items.Type == "[]xsdtypes.AnyElement" {
					p("// GetStatusDetails returns the content of Status/Details, or nil.\nfunc (v *%s) GetStatusDetails() []xsdtypes.AnyElement {\n\tif v.Status.Details == nil {\n\t\treturn nil\n\t}\n\treturn v.Status.Details.Items\n}\n\n", n)
					needXSD = true
				}
			}
		}
	}
	if c := fieldNamed(s, "Content"); c != nil && c.Struct && c.Optional && !c.Plural {
		cs := structNamed(f, strings.TrimPrefix(c.Type, "*"))
		if cs != nil {
			for _, h := range cs.Fields {
				if h.Name == "Href" && h.Attr && h.Type == "string" {
					p("// GetContentHref returns the href of the Content reference, or \"\" when\n// there is none.\nfunc (v *%s) GetContentHref() string {\n\tif v.Content == nil {\n\t\treturn \"\"\n\t}\n\treturn v.Content.Href\n}\n\n", n)
					p(`// WithContentHref returns a shallow copy of v whose Content reference
// points to href, keeping its other attributes. v itself is not modified.
func (v *%s) WithContentHref(href string) Message {
	cp := *v
	ref := %s{}
	if v.Content != nil {
		ref = *v.Content
	}
	ref.Href = href
	cp.Content = &ref
	return &cp
}

`, n, cs.Name)
				}
			}
		}
	}
	return needXSD
}
