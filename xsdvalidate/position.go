package xsdvalidate

import (
	"bytes"
	"encoding/xml"
)

// locate sets the Line and Column of each problem to the start of its
// element's start tag ('<'), found by its position in document order
// (ordinals[i], 1-based; 0 if unknown). libxml2 itself reports the line on
// which the start tag ends and no column. A problem whose line does not
// match that end line keeps libxml2's line.
func locate(doc []byte, problems []Problem, ordinals []int) {
	last := 0
	for _, o := range ordinals {
		last = max(last, o)
	}
	if last == 0 {
		return
	}
	type span struct{ line, col, endLine int }
	starts := make([]span, 0, last)
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = charsetReader
	for len(starts) < last {
		line, col := d.InputPos()
		tok, err := d.Token()
		if err != nil {
			break
		}
		if _, ok := tok.(xml.StartElement); ok {
			endLine, _ := d.InputPos()
			starts = append(starts, span{line, col, endLine})
		}
	}
	for i := range problems {
		if o := ordinals[i]; o > 0 && o <= len(starts) && starts[o-1].endLine == problems[i].Line {
			problems[i].Line, problems[i].Column = starts[o-1].line, starts[o-1].col
		}
	}
}
