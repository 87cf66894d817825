package mm7

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Known byte sequences, written down from the charsets' code tables,
// for a word of each language handsets send.
func TestDecodeTextKnownBytes(t *testing.T) {
	for _, c := range []struct {
		charset string
		bytes   string
		want    string
	}{
		{"Shift_JIS", "\x93\xfa\x96\x7b\x8c\xea", "日本語"},
		{"x-sjis", "\x93\xfa\x96\x7b\x8c\xea", "日本語"},
		{"windows-31j", "\x93\xfa\x96\x7b\x8c\xea", "日本語"},
		{"EUC-JP", "\xc6\xfc\xcb\xdc\xb8\xec", "日本語"},
		{"ISO-2022-JP", "\x1b$BF|K\\8l\x1b(B", "日本語"},
		{"GB2312", "\xd6\xd0\xce\xc4", "中文"},
		{"GBK", "\xd6\xd0\xce\xc4", "中文"},
		{"GB18030", "\xd6\xd0\xce\xc4\xa2\xe3", "中文€"},
		{"gb2312", "\x81\x30\x81\x30", "\u0080"}, // GB18030 four-byte form, sent labelled GB2312
		{"Big5", "\xa4\xa4\xa4\xe5", "中文"},
		{"EUC-KR", "\xc7\xd1\xb1\xb9\xbe\xee", "한국어"},
		{"ks_c_5601-1987", "\xc7\xd1\xb1\xb9\xbe\xee", "한국어"},
		{"windows-1252", "caf\xe9 \x80 \x93ok\x94", "café € “ok”"},
		{"cp1252", "caf\xe9", "café"},
		{"windows-1251", "\xcf\xf0\xe8\xe2\xe5\xf2", "Привет"},
		{"windows-1250", "\xa3\xf3d\x9f", "Łódź"},
		{"windows-1253", "\xc5\xeb\xeb\xdc\xe4\xe1", "Ελλάδα"},
		{"windows-1254", "\xde\xf0", "Şğ"},
		{"windows-1255", "\xf9\xec\xe5\xed", "שלום"},
		{"windows-1256", "\xd3\xe1\xc7\xe3", "سلام"},
		{"ISO-8859-1", "caf\xe9 \xa9", "café ©"},
		{"latin1", "\xfc", "ü"},
		{"ISO-8859-2", "\xa3\xf3d\xbc", "Łódź"},
		{"ISO-8859-5", "\xbf\xe0\xd8\xd2\xd5\xe2", "Привет"},
		{"ISO-8859-7", "\xc5\xeb\xeb\xdc\xe4\xe1", "Ελλάδα"},
		{"ISO-8859-15", "\xa4", "€"},
		{"KOI8-R", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет"},
		{"UTF-8", "\xef\xbb\xbfh\xc3\xa9", "hé"},
		{"utf8", "h\xc3\xa9", "hé"},
		{"106", "h\xc3\xa9", "hé"}, // MIBenum as WAP writes it
		{"17", "\x93\xfa", "日"},    // MIBenum of Shift_JIS
		{"\"Shift_JIS\"", "\x93\xfa", "日"},
		{"UTF-16", "\xff\xfeH\x00i\x00", "Hi"},
		{"UTF-16", "\xfe\xff\x00H\x00i", "Hi"},
		{"UTF-16", "H\x00i\x00!\x00", "Hi!"}, // no BOM, little-endian by its NULs
		{"UTF-16", "\x00H\x00i\x00!", "Hi!"}, // no BOM, big-endian
		{"UTF-16", "\x65\xe5\x67\x2c", "日本"}, // no BOM, no ASCII: RFC 2781's big-endian
		{"UTF-16LE", "\xe5\x65\x2c\x67", "日本"},
		{"UTF-16LE", "\xff\xfe\xe5\x65", "日"}, // BOM that agrees: dropped
		{"UTF-16BE", "\xff\xfe\xe5\x65", "日"}, // BOM that disagrees: the bytes win
		{"ucs-2", "\xff\xfeA\x00", "A"},
		{"", "h\xc3\xa9", "hé"},
		{"", "caf\xe9", "café"},
		{"us-ascii", "plain", "plain"},
	} {
		got, err := DecodeText([]byte(c.bytes), c.charset)
		require.NoError(t, err, c.charset)
		assert.Equal(t, c.want, got, "%s % x", c.charset, c.bytes)
	}
}

// Real-world sentences round-trip through every charset that can hold
// them.
func TestEncodeDecodeSentences(t *testing.T) {
	sentences := map[string][]string{
		"今日は東京で会いましょう。駅の改札で待っています。":      {"Shift_JIS", "EUC-JP", "ISO-2022-JP", "UTF-16", "UTF-16LE", "UTF-8"},
		"我们明天早上八点在火车站见面，别迟到！":            {"GB2312", "GBK", "GB18030", "UTF-16BE"},
		"我們明天早上八點在火車站見面，別遲到！":            {"Big5", "GB18030"},
		"내일 아침 여덟 시에 기차역에서 만나요.":         {"EUC-KR", "ks_c_5601-1987"},
		"Ça coûte 5 € — à bientôt, Zoë!": {"windows-1252"},
		"Ça coûte 5 €, à bientôt Zoë!":   {"ISO-8859-15", "windows-1252"},
		"Встретимся завтра у вокзала.":   {"windows-1251", "KOI8-R", "ISO-8859-5"},
		"Spotkajmy się jutro o ósmej.":   {"windows-1250", "ISO-8859-2"},
		"Θα τα πούμε αύριο στον σταθμό.": {"windows-1253", "ISO-8859-7"},
		"Yarın sabah görüşürüz, Ayşe.":   {"windows-1254", "ISO-8859-9"},
	}
	for text, charsets := range sentences {
		for _, cs := range charsets {
			b, name, err := EncodeText(text, cs)
			require.NoError(t, err, cs)
			assert.NotEmpty(t, name)
			if cs != "UTF-8" {
				assert.NotEqual(t, text, string(b), "%s: bytes are not UTF-8", cs)
			}
			got, err := DecodeText(b, name)
			require.NoError(t, err, cs)
			assert.Equal(t, text, got, cs)
		}
	}
}

func TestEncodeTextRefusesWhatTheCharsetLacks(t *testing.T) {
	_, _, err := EncodeText("price: 5 €, 日本", "ISO-8859-1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `'€' at byte 9 cannot be written`)
	_, _, err = EncodeText("héllo", "us-ascii")
	assert.ErrorContains(t, err, `'é' at byte 1 is not ASCII`)
	_, _, err = EncodeText("x", "klingon-8")
	assert.True(t, errors.Is(err, ErrUnknownCharset))
	b, name, err := EncodeText("hi", "utf-16")
	require.NoError(t, err)
	assert.Equal(t, "UTF-16", name)
	assert.Equal(t, "\xfe\xff\x00h\x00i", string(b), "UTF-16 is written with a BOM")
}

func TestDecodeTextUnknownCharset(t *testing.T) {
	for _, cs := range []string{"x-unknown", "99999", strings.Repeat("z", 300)} {
		_, err := DecodeText([]byte("abc"), cs)
		require.Error(t, err, cs)
		assert.True(t, errors.Is(err, ErrUnknownCharset), cs)
		assert.Less(t, len(err.Error()), 200, "label clipped")
	}
}

func TestDecodeTextInvalidBytesBecomeReplacement(t *testing.T) {
	got, err := DecodeText([]byte("ok\xffok"), "utf-8")
	require.NoError(t, err)
	assert.Equal(t, "ok\uFFFDok", got)
	got, err = DecodeText([]byte("\x93"), "Shift_JIS") // truncated double-byte
	require.NoError(t, err)
	assert.Equal(t, "\uFFFD", got)
}

func TestAttachmentCharset(t *testing.T) {
	a := Attachment{ContentType: `text/plain; charset="Shift_JIS"; name=a.txt`}
	assert.Equal(t, "Shift_JIS", a.Charset())
	assert.True(t, a.IsText())
	a = Attachment{ContentType: "image/jpeg"}
	assert.Equal(t, "", a.Charset())
	assert.False(t, a.IsText())
	assert.True(t, (&Attachment{ContentType: "application/smil"}).IsText())
}

func TestEnvelopeInHandsetCharsets(t *testing.T) {
	body := "<Subject>日本語の件名</Subject>"
	for _, cs := range []string{"Shift_JIS", "EUC-JP", "GB2312", "windows-1252"} {
		text := body
		if cs == "GB2312" {
			text = "<Subject>中文主题</Subject>"
		}
		if cs == "windows-1252" {
			text = "<Subject>Café € ok</Subject>"
		}
		b, _, err := EncodeText(`<?xml version="1.0" encoding="`+cs+`"?>`+text, cs)
		require.NoError(t, err)
		var devs deviations
		out, err := toUTF8(b, "", &devs)
		require.NoError(t, err, cs)
		assert.Contains(t, string(out), text, cs)
		assert.Empty(t, devs.list, cs)
	}
	// Declared Shift_JIS, bytes UTF-8: read as UTF-8, reported.
	var devs deviations
	out, err := toUTF8([]byte(`<?xml version="1.0" encoding="Shift_JIS"?><a>日本</a>`), "", &devs)
	require.NoError(t, err)
	assert.Contains(t, string(out), "日本")
	require.Len(t, devs.list, 1)
	assert.Equal(t, DevCharsetMismatch, devs.list[0].Code)
	// ASCII under any known charset: no deviation.
	devs = deviations{}
	_, err = toUTF8([]byte(`<?xml version="1.0" encoding="EUC-KR"?><a>x</a>`), "euc-kr", &devs)
	require.NoError(t, err)
	assert.Empty(t, devs.list)
}

func FuzzDecodeText(f *testing.F) {
	labels := []string{"", "utf-8", "UTF-16", "UTF-16LE", "UTF-16BE", "Shift_JIS", "EUC-JP", "ISO-2022-JP", "GB2312", "GB18030",
		"Big5", "EUC-KR", "windows-1252", "ISO-8859-7", "KOI8-R", "106", "x-unknown"}
	f.Add([]byte("\x93\xfa\x96\x7b"), uint8(5))
	f.Add([]byte("\x1b$BF|\x1b(B"), uint8(7))
	f.Add([]byte("\xff\xfeA\x00B"), uint8(2))
	f.Fuzz(func(t *testing.T, b []byte, l uint8) {
		label := labels[int(l)%len(labels)]
		s, err := DecodeText(b, label)
		if err != nil {
			if !errors.Is(err, ErrUnknownCharset) {
				t.Fatalf("%s: %v", label, err)
			}
			return
		}
		if !utf8.ValidString(s) {
			t.Fatalf("%s: output is not UTF-8: %q", label, s)
		}
	})
}
