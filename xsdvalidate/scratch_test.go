package xsdvalidate

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestScratch(t *testing.T) {
	for _, f := range []func() (*Schema, error){Rel5, Rel6} {
		s, err := f()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println(s.Name(), s.Namespace())
		files, _ := filepath.Glob("testdata/rel*/*.xml")
		for _, fn := range files {
			b, _ := os.ReadFile(fn)
			err := s.Validate(b)
			fmt.Println(fn, err)
			if ve, ok := err.(*ValidationError); ok {
				for _, p := range ve.Problems {
					fmt.Printf("   %d:%d %s %s | %s\n", p.Line, p.Column, p.Path, p.Element, p.Message)
				}
			}
		}
	}
	for _, f := range []string{"REL-6-MM7-1-4.xsd", "REL-5-MM7-1-2.xsd"} {
		s, err := CompileFile("../../shared/reference/xsd/" + f)
		fmt.Println(f, err)
		if s != nil {
			b, _ := os.ReadFile("testdata/rel6/submit-req.xml")
			fmt.Println(s.Name(), s.Namespace(), s.Validate(b))
			s.Close()
		}
	}
}
