package mime

import (
	stdmime "mime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseMediaType(t *testing.T) {
	t.Parallel()
	type params = map[string]string
	tests := []struct {
		name   string
		in     string
		mt     string
		params params
		devs   []string
	}{
		{"plain", "text/xml", "text/xml", params{}, nil},
		{"swa root", `multipart/related; boundary="=_mo_88121"; type="text/xml"; start="<mo-soap-88121>"`,
			"multipart/related", params{"boundary": "=_mo_88121", "type": "text/xml", "start": "<mo-soap-88121>"}, nil},
		{"media type lower-cased", "Multipart/Related; boundary=x", "multipart/related", params{"boundary": "x"}, nil},
		{"capitalised param", `multipart/related; Type="application/smil"; Start="<pres>"; boundary=b`,
			"multipart/related", params{"type": "application/smil", "start": "<pres>", "boundary": "b"}, []string{CapitalisedParam, CapitalisedParam}},
		{"trailing semicolon", "text/xml; charset=utf-8;", "text/xml", params{"charset": "utf-8"}, []string{TrailingSemicolon}},
		{"trailing semicolon with space", "text/xml; ", "text/xml", params{}, []string{TrailingSemicolon}},
		{"doubled semicolon", "text/xml;; charset=utf-8", "text/xml", params{"charset": "utf-8"}, []string{TrailingSemicolon}},
		{"space around equals", `text/xml; charset = "utf-8"`, "text/xml", params{"charset": "utf-8"}, []string{SpaceAroundEquals}},
		{"unquoted value with brackets and at", "multipart/related; start=<soap@x>; type=text/xml", "multipart/related",
			params{"start": "<soap@x>", "type": "text/xml"}, []string{UnquotedParam, UnquotedParam}},
		{"unquoted boundary starting with equals", "multipart/related; boundary==_Part_0_1.2", "multipart/related",
			params{"boundary": "=_Part_0_1.2"}, []string{UnquotedParam}},
		{"unquoted boundary with spaces", "multipart/related; boundary=StoryParts 74526 8432 2002-77645 ; type=text/xml",
			"multipart/related", params{"boundary": "StoryParts 74526 8432 2002-77645", "type": "text/xml"}, []string{UnquotedParam, UnquotedParam}},
		{"quoted boundary with spaces", `multipart/mixed; boundary="StoryParts 74526 8432 2002-77645"`,
			"multipart/mixed", params{"boundary": "StoryParts 74526 8432 2002-77645"}, nil},
		{"duplicate param first wins", `text/xml; charset=utf-8; Charset="iso-8859-1"`, "text/xml", params{"charset": "utf-8"},
			[]string{CapitalisedParam, DuplicateParam}},
		{"empty value", "text/plain; charset=; format=flowed", "text/plain", params{"charset": "", "format": "flowed"}, []string{EmptyParamValue}},
		{"empty quoted value", `text/plain; name=""`, "text/plain", params{"name": ""}, nil},
		{"missing semicolon", `multipart/related; type="text/xml" start="<a>"`, "multipart/related",
			params{"type": "text/xml", "start": "<a>"}, []string{MissingSemicolon}},
		{"malformed param skipped", "text/plain; charset; format=flowed", "text/plain", params{"format": "flowed"}, []string{MalformedParam}},
		{"malformed param at end", "text/plain; =x", "text/plain", params{}, []string{MalformedParam}},
		{"garbage after quoted value", `text/plain; a="b"c; d=e`, "text/plain", params{"a": "b", "d": "e"}, []string{MissingSemicolon, MalformedParam}},
		{"quoted escapes", `text/plain; name="a\"b\\c\d"`, "text/plain", params{"name": `a"b\c\d`}, nil},
		{"quoted semicolon", `text/plain; name="a;b"; x=y`, "text/plain", params{"name": "a;b", "x": "y"}, nil},
		{"rfc 2231 extended", `application/octet-stream; name*=utf-8''%E2%82%AC.jpg`, "application/octet-stream", params{"name": "€.jpg"}, nil},
		{"rfc 2231 continuation", `application/octet-stream; name*0="photo"; name*1*=%20one.jpg`, "application/octet-stream", params{"name": "photo one.jpg"}, nil},
		{"rfc 2231 bad escape in continuation", `a/b; nAme*0=000000; nAme*1*=%`, "a/b", params{"name": "000000"}, []string{CapitalisedParam, CapitalisedParam}},
		{"rfc 2231 encoded first piece", `a/b; name*0*=UTF-8''%41; name*1=b`, "a/b", params{"name": "Ab"}, nil},
		{"rfc 2231 no quotes dropped", `a/b; name*=abc`, "a/b", params{}, nil},
		{"rfc 2231 one quote dropped", `a/b; name*=utf-8'abc`, "a/b", params{}, nil},
		{"rfc 2231 unknown charset dropped", `text/plain; name*=koi8-r''x`, "text/plain", params{}, nil},
		{"type without subtype", "text", "text", params{}, nil},
		{"surrounding white space", "  text/xml ;\tcharset=utf-8  ", "text/xml", params{"charset": "utf-8"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt, params, devs, err := ParseMediaType(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.mt, mt)
			assert.Equal(t, tt.params, params)
			assert.Equal(t, tt.devs, codes(devs))
			for _, d := range devs {
				assert.NotEmpty(t, d.Text)
			}
			if stdMT, stdParams, err := stdmime.ParseMediaType(tt.in); err == nil {
				assert.Equal(t, stdMT, mt, "same as mime.ParseMediaType")
				assert.Equal(t, stdParams, params, "same as mime.ParseMediaType")
			}
		})
	}
}

func TestParseMediaTypeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"empty", "", "mime: no media type"},
		{"blank", "  ; charset=utf-8", "mime: no media type"},
		{"not a token", "text/xml garbage", `mime: invalid media type "text/xml garbage"`},
		{"long invalid type clipped", "text/" + strings.Repeat("x", 70) + " y", `mime: invalid media type "text/` + strings.Repeat("x", 59) + `..."`},
		{"empty subtype", "text/", `mime: invalid media type "text/"`},
		{"two slashes", "a/b/c", `mime: invalid media type "a/b/c"`},
		{"starts with slash", "/xml", `mime: invalid media type "/xml"`},
		{"unterminated quote", `multipart/related; boundary="abc`, `mime: media type "multipart/related": parameter "boundary": unterminated quoted string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt, params, devs, err := ParseMediaType(tt.in)
			require.EqualError(t, err, tt.want)
			assert.Empty(t, mt)
			assert.Nil(t, params)
			assert.Nil(t, devs)
		})
	}
}
