package mm7

import (
	"encoding"
	"reflect"
	"strings"
	"sync"

	"github.com/openmms/mm7go/xsdtypes"
)

// typeInfo describes how a generated struct maps to XML, for the lenient
// decoder: which child elements and attributes it has, in which order,
// and which are mandatory. It is derived from the generated struct tags,
// so it follows the schemas without a hand-written table.
type typeInfo struct {
	elems         map[string]*fieldInfo // by local name
	attrs         map[string]*fieldInfo
	wildcard      bool // has an ,any field: unknown children are kept
	anyAttr       bool // has an ,any,attr field: attributes of other namespaces are kept
	text          bool // has a ,chardata field
	textBool      bool
	textDateTime  bool
	anyOrder      bool     // xs:all: children in any order
	required      []string // mandatory child elements, in schema order
	requiredAttrs []string
}

type fieldInfo struct {
	index    int          // position among the struct's element fields
	elem     reflect.Type // field type without pointer or slice
	info     *typeInfo    // for struct children with their own content; nil for leaves
	bool     bool         // xs:boolean
	any      bool         // a single xsdtypes.AnyElement field: content kept as is
	repeated bool         // a slice: the element may occur more than once
	dateTime bool         // xs:dateTime, or the dateTime side of relativeOrAbsoluteDateType
}

var (
	typeInfos      sync.Map // reflect.Type -> *typeInfo
	textUnmarshal  = reflect.TypeFor[encoding.TextUnmarshaler]()
	anyElementType = reflect.TypeFor[xsdtypes.AnyElement]()
	dateTimeTypes  = map[reflect.Type]bool{
		reflect.TypeFor[xsdtypes.DateTime]():           true,
		reflect.TypeFor[xsdtypes.DateTimeOrDuration](): true,
	}
)

// anyOrderTypes are the MM7 schema types whose children may come in any
// order: the xs:all of responseStatusType and
// extendedcancelresponseStatusType, and the repeated xs:choice of
// multiAddressType (RFC2822Address | Number | ShortCode, any mix) and
// recipientsType (To | Cc | Bcc, any mix).
var anyOrderTypes = map[string]bool{"ResponseStatus": true, "ExtendedCancelResponseStatus": true, "MultiAddress": true, "Recipients": true}

// typeInfoMu serialises building: a typeInfo is published in typeInfos
// only once it and every typeInfo it refers to are complete, so
// concurrent decoders never see a half-built one.
var typeInfoMu sync.Mutex

func infoOf(t reflect.Type) *typeInfo {
	if v, ok := typeInfos.Load(t); ok {
		return v.(*typeInfo)
	}
	typeInfoMu.Lock()
	defer typeInfoMu.Unlock()
	building := map[reflect.Type]*typeInfo{}
	ti := buildInfo(t, building)
	for bt, bi := range building {
		typeInfos.LoadOrStore(bt, bi)
	}
	return ti
}

func buildInfo(t reflect.Type, building map[reflect.Type]*typeInfo) *typeInfo {
	if v, ok := typeInfos.Load(t); ok {
		return v.(*typeInfo)
	}
	if ti, ok := building[t]; ok {
		return ti
	}
	ti := &typeInfo{elems: map[string]*fieldInfo{}, attrs: map[string]*fieldInfo{}, anyOrder: anyOrderTypes[t.Name()]}
	building[t] = ti // before recursing: guards against cycles
	n := 0
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("xml")
		if sf.Name == "XMLName" || tag == "" || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if sp := strings.LastIndexByte(name, ' '); sp >= 0 {
			name = name[sp+1:]
		}
		ft := sf.Type
		optional := ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice
		repeated := ft.Kind() == reflect.Slice && ft.Elem().Kind() != reflect.Uint8
		for ft.Kind() == reflect.Pointer || (ft.Kind() == reflect.Slice && ft.Elem().Kind() != reflect.Uint8) {
			ft = ft.Elem()
		}
		switch {
		case strings.Contains(opts, "chardata"):
			ti.text = true
			ti.textBool = ft.Kind() == reflect.Bool
			ti.textDateTime = dateTimeTypes[ft]
		case strings.Contains(opts, "any"):
			if strings.Contains(opts, "attr") {
				ti.anyAttr = true
			} else {
				ti.wildcard = true
			}
		case strings.Contains(opts, "attr"):
			ti.attrs[name] = &fieldInfo{elem: ft, bool: ft.Kind() == reflect.Bool, dateTime: dateTimeTypes[ft]}
			if !optional {
				ti.requiredAttrs = append(ti.requiredAttrs, name)
			}
		default:
			fi := &fieldInfo{index: n, elem: ft, bool: ft.Kind() == reflect.Bool, any: ft == anyElementType, repeated: repeated, dateTime: dateTimeTypes[ft]}
			n++
			if ft.Kind() == reflect.Struct && !fi.any && !reflect.PointerTo(ft).Implements(textUnmarshal) {
				fi.info = buildInfo(ft, building)
			}
			ti.elems[name] = fi
			if !optional {
				ti.required = append(ti.required, name)
			}
		}
	}
	return ti
}

// A rename is an element name used by other published schema versions:
// to is the generated name, native the schemas whose own name it is.
type rename struct {
	to     string
	native []string
}

// renames maps element names used by other published schema versions to
// the generated one, per parent element: DeliveryReportReq's Date was
// called TimeStamp in REL-5-MM7-1-4 and REL-6-MM7-1-1, and
// DistributionIndicator was DistributionProtection in REL-5-MM7-1-0
// (mm7-facts section 6). In a body of a native schema the old name is
// correct and read without a deviation; elsewhere it is a
// DevRenamedElement.
var renames = map[string]map[string]rename{
	"DeliveryReportReq": {"TimeStamp": {"Date", []string{"REL-5-MM7-1-4", "REL-6-MM7-1-1"}}},
	"SubmitReq":         {"DistributionProtection": {"DistributionIndicator", []string{"REL-5-MM7-1-0"}}},
	"ReplaceReq":        {"DistributionProtection": {"DistributionIndicator", []string{"REL-5-MM7-1-0"}}},
}
