package main

import (
	"fmt"
	"regexp"
	"strings"
)

// XML Schema regular expressions differ from Go's RE2 syntax:
//
//   - a pattern always matches the whole value (implicit anchors), and ^ and
//     $ are ordinary characters;
//   - . excludes \n and \r (Go: only \n);
//   - \d, \w are Unicode classes (Go: ASCII), \s is [ \t\n\r];
//   - \i and \c (XML name start and name characters) have no Go form;
//   - \p{IsBlock} (Unicode blocks) and class subtraction [a-z-[aeiou]]
//     have no RE2 form and are refused.
const (
	xsdNameStart = `:A-Z_a-z\x{C0}-\x{D6}\x{D8}-\x{F6}\x{F8}-\x{2FF}\x{370}-\x{37D}\x{37F}-\x{1FFF}` +
		`\x{200C}-\x{200D}\x{2070}-\x{218F}\x{2C00}-\x{2FEF}\x{3001}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFFD}\x{10000}-\x{EFFFF}`
	xsdNameChar = xsdNameStart + `\-.0-9\x{B7}\x{300}-\x{36F}\x{203F}-\x{2040}`
)

// goRegexp translates the alternatives of one xs:pattern derivation step
// (which the value must match one of) into an anchored Go regexp.
func goRegexp(alternatives []string) (string, error) {
	parts := make([]string, len(alternatives))
	for i, a := range alternatives {
		g, err := translateXSDRegexp(a)
		if err != nil {
			return "", fmt.Errorf("xs:pattern %q: %w", a, err)
		}
		parts[i] = "(?:" + g + ")"
	}
	re := "^(?:" + strings.Join(parts, "|") + ")$"
	if _, err := regexp.Compile(re); err != nil {
		return "", fmt.Errorf("xs:pattern %q: %w", strings.Join(alternatives, " | "), err)
	}
	return re, nil
}

func translateXSDRegexp(p string) (string, error) {
	var b strings.Builder
	rs := []rune(p)
	inClass := false
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\':
			if i+1 >= len(rs) {
				return "", fmt.Errorf("trailing backslash")
			}
			i++
			e := rs[i]
			switch e {
			case 'd':
				b.WriteString(`\p{Nd}`)
			case 'D':
				if inClass {
					return "", fmt.Errorf(`\D inside a character class is not supported`)
				}
				b.WriteString(`\P{Nd}`)
			case 's':
				if inClass {
					b.WriteString(`\x20\t\n\r`)
				} else {
					b.WriteString(`[\x20\t\n\r]`)
				}
			case 'S':
				if inClass {
					return "", fmt.Errorf(`\S inside a character class is not supported`)
				}
				b.WriteString(`[^\x20\t\n\r]`)
			case 'w', 'W':
				if inClass {
					return "", fmt.Errorf(`\%c inside a character class is not supported`, e)
				}
				if e == 'w' {
					b.WriteString(`[^\p{P}\p{Z}\p{C}]`)
				} else {
					b.WriteString(`[\p{P}\p{Z}\p{C}]`)
				}
			case 'i', 'c':
				set := xsdNameStart
				if e == 'c' {
					set = xsdNameChar
				}
				if inClass {
					b.WriteString(set)
				} else {
					b.WriteString("[" + set + "]")
				}
			case 'I', 'C':
				if inClass {
					return "", fmt.Errorf(`\%c inside a character class is not supported`, e)
				}
				set := xsdNameStart
				if e == 'C' {
					set = xsdNameChar
				}
				b.WriteString("[^" + set + "]")
			case 'p', 'P':
				end := i + 1
				for end < len(rs) && rs[end] != '}' {
					end++
				}
				if i+1 >= len(rs) || rs[i+1] != '{' || end >= len(rs) {
					return "", fmt.Errorf(`malformed \%c{...}`, e)
				}
				name := string(rs[i+2 : end])
				if strings.HasPrefix(name, "Is") {
					return "", fmt.Errorf(`block escape \%c{%s} (a Unicode block) is not supported`, e, name)
				}
				b.WriteString(`\` + string(e) + "{" + name + "}")
				i = end
			case 'n', 'r', 't', '\\', '|', '.', '-', '^', '?', '*', '+', '{', '}', '(', ')', '[', ']', '$':
				b.WriteString(`\` + string(e))
			default:
				return "", fmt.Errorf(`unknown escape \%c`, e)
			}
		case inClass:
			switch {
			case r == ']':
				inClass = false
				b.WriteRune(r)
			case r == '-' && i+1 < len(rs) && rs[i+1] == '[':
				return "", fmt.Errorf("character class subtraction is not supported")
			case r == '[':
				b.WriteString(`\[`)
			default:
				b.WriteRune(r)
			}
		case r == '[':
			inClass = true
			b.WriteRune(r)
			if i+1 < len(rs) && rs[i+1] == '^' {
				b.WriteRune('^')
				i++
			}
		case r == '.':
			b.WriteString(`[^\n\r]`)
		case r == '^' || r == '$':
			b.WriteString(`\` + string(r))
		default:
			b.WriteRune(r)
		}
	}
	if inClass {
		return "", fmt.Errorf("unterminated character class")
	}
	return b.String(), nil
}
