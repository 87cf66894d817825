package conformance_test

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAccessorsMatchFields checks the generated accessors of every
// message of both versions against the fields they stand for, and that
// the With... copies leave the original untouched.
func TestAccessorsMatchFields(t *testing.T) {
	for _, d := range documents(t) {
		if d.mode != "full" {
			continue
		}
		name := d.binding.name + " " + d.element
		v := reflect.ValueOf(d.value).Elem()
		if m, ok := d.value.(interface {
			GetMM7Version() string
			SetMM7Version(string)
		}); ok {
			assert.Equal(t, v.FieldByName("MM7Version").String(), m.GetMM7Version(), name)
		} else {
			assert.False(t, v.FieldByName("MM7Version").IsValid(), "%s has MM7Version but no accessor", name)
		}
		if m, ok := d.value.(interface{ GetVASPID() string }); ok {
			assert.NotEmpty(t, m.GetVASPID(), name)
		}
		if m, ok := d.value.(interface {
			GetMessageID() string
			SetMessageID(string)
		}); ok {
			before := m.GetMessageID()
			require.NotEmpty(t, before, name)
			m.SetMessageID("changed")
			assert.Equal(t, "changed", m.GetMessageID(), name)
			m.SetMessageID(before)
		}
		if m, ok := d.value.(interface{ RecipientCount() int }); ok {
			assert.Equal(t, countAddresses(v.FieldByName("Recipients")), m.RecipientCount(), name)
			assert.Positive(t, m.RecipientCount(), name)
		}
		if m, ok := d.value.(interface{ GetStatus() (int, string) }); ok {
			code, _ := m.GetStatus()
			assert.Equal(t, v.FieldByName("Status").FieldByName("StatusCode").Int(), int64(code), name)
		}
		before := deepCopy(t, d.value)
		type senderIDs interface {
			GetVASPID() string
			GetVASID() string
		}
		withSender := reflect.ValueOf(d.value).MethodByName("WithSenderIDs")
		if withSender.IsValid() {
			out := withSender.Call([]reflect.Value{reflect.ValueOf("new-vasp"), reflect.ValueOf("")})[0].Interface().(senderIDs)
			assert.Equal(t, "new-vasp", out.GetVASPID(), name)
			assert.Equal(t, d.value.(senderIDs).GetVASID(), out.GetVASID(), "an empty argument keeps the value: %s", name)
		}
		withHref := reflect.ValueOf(d.value).MethodByName("WithContentHref")
		if withHref.IsValid() {
			out := withHref.Call([]reflect.Value{reflect.ValueOf("cid:other")})[0].Interface().(interface{ GetContentHref() string })
			assert.Equal(t, "cid:other", out.GetContentHref(), name)
		}
		withVersion := reflect.ValueOf(d.value).MethodByName("WithMM7Version")
		if withVersion.IsValid() {
			out := withVersion.Call([]reflect.Value{reflect.ValueOf("5.3.0")})[0].Interface().(interface{ GetMM7Version() string })
			assert.Equal(t, "5.3.0", out.GetMM7Version(), name)
		}
		assert.Equal(t, before, d.value, "the With... methods copy: %s", name)
	}
}

func countAddresses(r reflect.Value) int {
	if r.Kind() == reflect.Pointer {
		if r.IsNil() {
			return 0
		}
		r = r.Elem()
	}
	n := 0
	for _, list := range []string{"To", "Cc", "Bcc"} {
		l := r.FieldByName(list)
		for i := range l.Len() {
			ma := l.Index(i)
			for _, kind := range []string{"RFC2822Address", "Number", "ShortCode"} {
				n += ma.FieldByName(kind).Len()
			}
		}
	}
	return n
}
