package mime

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormalizeContentID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		devs           []string
	}{
		{"brackets", "<SaturnPics-01020930@news.tnn.com>", "SaturnPics-01020930@news.tnn.com", nil},
		{"surrounding white space", " \t<a@b>\r\n", "a@b", nil},
		{"case kept", "<Img1@X>", "Img1@X", nil},
		{"content-id no brackets", "mo-soap-88121", "mo-soap-88121", []string{ContentIDNoBrackets}},
		{"content-id only opening bracket", "<img1", "img1", []string{ContentIDNoBrackets}},
		{"content-id only closing bracket", "img1>", "img1", []string{ContentIDNoBrackets}},
		{"content-id white space inside brackets", "< img1 >", "img1", []string{ContentIDWhitespace}},
		{"content-id cid prefix", "<cid:img1>", "img1", []string{ContentIDCIDPrefix}},
		{"content-id cid prefix no brackets", "CID:img1", "img1", []string{ContentIDNoBrackets, ContentIDCIDPrefix}},
		{"percent not unescaped", "<a%40b>", "a%40b", nil},
		{"empty", "", "", nil},
		{"blank", "  ", "", nil},
		{"empty brackets", "<>", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, devs := NormalizeContentID(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.devs, codes(devs))
		})
	}
}

func TestContentIDFromHref(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		devs           []string
	}{
		{"cid url", "cid:SaturnPics-01020930@news.tnn.com", "SaturnPics-01020930@news.tnn.com", nil},
		{"scheme case-insensitive", "CID:img1", "img1", nil},
		{"url-unescaped", "cid:img1%40x.com", "img1@x.com", nil},
		{"plus kept", "cid:a+b", "a+b", nil},
		{"surrounding white space", "  cid:img1\n", "img1", nil},
		{"href cid space", "cid: content_15", "content_15", []string{HrefCIDSpace}},
		{"href brackets", "cid:<img1>", "img1", []string{HrefBrackets}},
		{"href bad escape", "cid:100%", "100%", []string{HrefBadEscape}},
		{"href not cid", "photo.jpg", "photo.jpg", []string{HrefNotCID}},
		{"empty", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, devs := ContentIDFromHref(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.devs, codes(devs))
		})
	}
}

func TestSameContentID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		a, b          string
		same, lenient bool
	}{
		{"exact", "img1@x", "img1@x", true, false},
		{"case differs", "IMG1@x", "img1@X", true, true},
		{"escaped in header", "img1%40x", "img1@x", true, true},
		{"escaped both", "img1%40x", "IMG1%40X", true, true},
		{"bad escape compared as is", "a%zz", "A%ZZ", true, true},
		{"different", "img1", "img2", false, false},
		{"empty never matches", "", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			same, lenient := SameContentID(tt.a, tt.b)
			assert.Equal(t, tt.same, same)
			assert.Equal(t, tt.lenient, lenient)
		})
	}
}
