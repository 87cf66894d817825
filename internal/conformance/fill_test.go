package conformance_test

import (
	"encoding/xml"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/openmms/mm7go/xsdtypes"
)

// choiceSets lists the alternatives of the schemas' xs:choice groups,
// which the generated structs hold as separate optional fields (D14).
// addressType holds exactly one address (pointer fields); multiAddressType
// and recipientsType repeat their choice at least once (slice fields). The
// filler sets exactly one alternative of a single choice, and of a repeated
// choice one alternative in minimal mode and all of them in full mode.
var choiceSets = [][]string{{"RFC2822Address", "Number", "ShortCode"}, {"To", "Cc", "Bcc"}}

// filler populates generated structs through reflection: in full mode every
// field, optional or not (two items in each repeated field); in minimal
// mode only what the schema requires. Values are schema-valid.
type filler struct {
	full bool
	n    int
}

func (f *filler) next() int { f.n++; return f.n }

// fill populates the struct that ptr points to.
func (f *filler) fill(ptr any) {
	f.fillStruct(reflect.ValueOf(ptr).Elem())
}

var (
	dateTimeType = reflect.TypeFor[xsdtypes.DateTime]()
	durationType = reflect.TypeFor[xsdtypes.Duration]()
	dodType      = reflect.TypeFor[xsdtypes.DateTimeOrDuration]()
	anyElemType  = reflect.TypeFor[xsdtypes.AnyElement]()
	anyAttrsType = reflect.TypeFor[xsdtypes.AnyAttrs]()
	xmlNameType  = reflect.TypeFor[xml.Name]()
)

func (f *filler) fillStruct(v reflect.Value) {
	t := v.Type()
	chosen := f.chooseAlternative(t)
	for i := range t.NumField() {
		sf := t.Field(i)
		fv := v.Field(i)
		if sf.Type == xmlNameType {
			space, local, _ := strings.Cut(strings.Split(sf.Tag.Get("xml"), ",")[0], " ")
			fv.Set(reflect.ValueOf(xml.Name{Space: space, Local: local}))
			continue
		}
		optional := sf.Type.Kind() == reflect.Pointer || sf.Type.Kind() == reflect.Slice
		if chosen != "" && inChoice(sf.Name) {
			repeatedInFull := f.full && sf.Type.Kind() == reflect.Slice
			if sf.Name != chosen && !repeatedInFull {
				continue
			}
		} else if optional && !f.full {
			continue
		}
		name := sf.Name
		if name == "Value" { // chardata: shaped after the type (Number, ShortCode, ...)
			name = t.Name()
		}
		f.fillValue(fv, name)
	}
}

func inChoice(name string) bool {
	for _, set := range choiceSets {
		for _, n := range set {
			if n == name {
				return true
			}
		}
	}
	return false
}

// chooseAlternative picks the one choice alternative to set in t, or "".
func (f *filler) chooseAlternative(t reflect.Type) string {
	for _, set := range choiceSets {
		var present []string
		for _, n := range set {
			if _, ok := t.FieldByName(n); ok {
				present = append(present, n)
			}
		}
		if len(present) > 0 {
			return present[f.next()%len(present)]
		}
	}
	return ""
}

func (f *filler) fillValue(v reflect.Value, field string) {
	switch {
	case v.Type() == anyAttrsType:
		v.Set(reflect.ValueOf(xsdtypes.AnyAttrs{{Name: xml.Name{Space: "urn:example:ext", Local: "tag"}, Value: fmt.Sprint("t", f.next())}}))
		return
	case v.Type() == dateTimeType:
		v.Set(reflect.ValueOf(xsdtypes.NewDateTime(time.Date(2024, 1, 15, 14, 3, f.next()%60, 0, time.UTC))))
		return
	case v.Type() == durationType:
		d, err := xsdtypes.ParseDuration(fmt.Sprintf("P%dDT3H", f.next()))
		if err != nil {
			panic(err)
		}
		v.Set(reflect.ValueOf(d))
		return
	case v.Type() == dodType:
		n := f.next()
		if n%2 == 0 {
			v.Set(reflect.ValueOf(xsdtypes.At(time.Date(2024, 2, 1, 0, 0, n%60, 0, time.UTC))))
		} else {
			d, err := xsdtypes.ParseDuration(fmt.Sprintf("P%dD", n))
			if err != nil {
				panic(err)
			}
			v.Set(reflect.ValueOf(xsdtypes.After(d)))
		}
		return
	case v.Type() == anyElemType:
		n := f.next()
		v.Set(reflect.ValueOf(xsdtypes.AnyElement{
			XMLName:  xml.Name{Space: "urn:example:ext", Local: "Note"},
			Attrs:    []xml.Attr{{Name: xml.Name{Local: "seq"}, Value: fmt.Sprint(n)}},
			Children: []xsdtypes.AnyElement{{XMLName: xml.Name{Space: "urn:example:ext", Local: "Line"}, Text: fmt.Sprint("detail ", n)}},
		}))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		f.fillValue(p.Elem(), field)
		v.Set(p)
	case reflect.Slice:
		n := 2
		if v.Type().Elem() == anyElemType {
			n = 1
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			f.fillValue(s.Index(i), field)
		}
		v.Set(s)
	case reflect.Struct:
		f.fillStruct(v)
	case reflect.String:
		v.SetString(f.text(v.Type(), field))
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8:
		v.SetInt(int64(1000 + f.next()))
	case reflect.Bool:
		v.SetBool(f.next()%2 == 0)
	default:
		panic(fmt.Sprintf("filler: unsupported kind %s for %s", v.Kind(), field))
	}
}

// text returns a schema-valid string for a field: an enumeration value for
// enum types (through their Values method), otherwise a value shaped for
// what the field holds.
func (f *filler) text(t reflect.Type, field string) string {
	if m, ok := t.MethodByName("Values"); ok {
		vals := m.Func.Call([]reflect.Value{reflect.Zero(t)})[0]
		return vals.Index(f.next() % vals.Len()).String()
	}
	n := f.next()
	switch field {
	case "MustUnderstand":
		return "1"
	case "EncodingStyle":
		return "http://schemas.xmlsoap.org/soap/encoding/"
	case "Actor":
		return "http://schemas.xmlsoap.org/soap/actor/next"
	case "Href":
		return fmt.Sprintf("cid:content-%d@vasp.example.com", n)
	case "ID":
		return fmt.Sprintf("addr%d", n) // xs:ID: an NCName, unique in the document
	case "Number":
		return fmt.Sprintf("1555555%04d", n)
	case "ShortCode":
		return fmt.Sprint(12000 + n)
	case "RFC2822Address":
		return fmt.Sprintf("user%d@example.com", n)
	}
	return fmt.Sprintf("%s-%d", field, n)
}
