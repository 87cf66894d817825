package mm7

import (
	"bytes"
	"html"
	"mime"
	"strings"
)

// htmlSummaryMax bounds the words of an HTML error page quoted when it
// has no <title>.
const htmlSummaryMax = 120

// isHTML reports whether an HTTP body is an HTML page: by its media
// type, or by how it starts.
func isHTML(contentType string, body []byte) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "text/html" || mt == "application/xhtml+xml" {
		return true
	}
	h := bytes.ToLower(bytes.TrimSpace(body[:min(len(body), 512)]))
	h = bytes.TrimPrefix(h, []byte("\xef\xbb\xbf"))
	return bytes.HasPrefix(h, []byte("<!doctype html")) || bytes.HasPrefix(h, []byte("<html"))
}

// htmlSummary returns what an HTML error page says, for an error
// message: its <title>, or else its first words with the markup
// stripped; printable ASCII only, cut at limit bytes ("..." marks a cut).
// It returns "" when the page holds no text.
func htmlSummary(body []byte, limit int) string {
	lower := bytes.ToLower(body)
	if i := bytes.Index(lower, []byte("<title")); i >= 0 {
		if j := bytes.IndexByte(lower[i:], '>'); j >= 0 {
			start := i + j + 1
			end := len(body)
			if k := bytes.Index(lower[start:], []byte("</title")); k >= 0 {
				end = start + k
			}
			if t := asciiExcerpt(htmlText(string(body[start:end])), limit); t != "" {
				return t
			}
		}
	}
	return asciiExcerpt(htmlText(stripTags(body)), limit)
}

// stripTags returns the text of an HTML fragment: tags, comments and the
// content of script and style elements become spaces. An unterminated
// tag ends the text.
func stripTags(b []byte) string {
	var out strings.Builder
	lower := bytes.ToLower(b)
	for i := 0; i < len(b); {
		if b[i] != '<' {
			out.WriteByte(b[i])
			i++
			continue
		}
		out.WriteByte(' ')
		rest := lower[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				return out.String()
			}
			i += 4 + end + 3
			continue
		case bytes.HasPrefix(rest, []byte("<script")), bytes.HasPrefix(rest, []byte("<style")):
			name := "</script"
			if rest[1] == 's' && rest[2] == 't' {
				name = "</style"
			}
			end := bytes.Index(rest, []byte(name))
			if end < 0 {
				return out.String()
			}
			i += end + len(name)
		}
		end := bytes.IndexByte(b[i:], '>')
		if end < 0 {
			return out.String()
		}
		i += end + 1
	}
	return out.String()
}

// htmlText undoes character references; a no-break space is a space.
func htmlText(s string) []byte {
	return []byte(strings.ReplaceAll(html.UnescapeString(s), "\u00a0", " "))
}
