package smil_test

import (
	"fmt"

	"github.com/openmms/mm7go/smil"
)

func ExampleAuto() {
	p, err := smil.Auto(smil.Layout{},
		smil.Part{MediaType: "image/jpeg", Src: "cid:photo.jpg"},
		smil.Part{MediaType: "text/plain", Src: "cid:text.txt"})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(p.Slides), "slide:", p.Slides[0].Items[0].Kind, p.Slides[0].Items[1].Kind)
	// Output: 1 slide: img text
}

func ExampleParse() {
	p, err := smil.Parse([]byte(`<smil><body><par dur="8s"><img src="IMG_1.jpg" region="Image"/>` +
		`<text src="cid:t1" region="Text"/></par></body></smil>`))
	if err != nil {
		panic(err)
	}
	for i, s := range p.Slides {
		for _, it := range s.Items {
			fmt.Println("slide", i+1, it.Kind, it.Src, smil.Refers(it.Src, "t1", "text_0.txt"))
		}
	}
	// Output:
	// slide 1 img IMG_1.jpg false
	// slide 1 text cid:t1 true
}
