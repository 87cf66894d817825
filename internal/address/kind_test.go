package address

import "testing"

func TestKind(t *testing.T) {
	for s, want := range map[string]string{
		"user@example.com": RFC2822, "12345": ShortCode, "123": ShortCode, "123456": ShortCode,
		"12": Number, "1234567": Number, "+12345": Number, "15555550123": Number, " 12345 ": ShortCode, "": Number,
	} {
		if got := Kind(s); got != want {
			t.Errorf("Kind(%q) = %s, want %s", s, got, want)
		}
	}
}
