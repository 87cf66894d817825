package main

import (
	"strings"
	"testing"
)

func TestRows(t *testing.T) {
	in := `goos: linux
pkg: example.com/a
BenchmarkX/size=1/impl=mm7-2   100   200 ns/op   10 B/op   1 allocs/op
BenchmarkX/size=1/impl=raw-2   100   100 ns/op   5 B/op   1 allocs/op
BenchmarkX/size=1/impl=mm7-2   100   400 ns/op   10 B/op   1 allocs/op
BenchmarkX/size=1/impl=mm7-2   100   200 ns/op   12 B/op   1 allocs/op
BenchmarkY/impl=mm7-2   100   50 ns/op   3.0 newconns/1000req
BenchmarkY/impl=naive-2   100   100 ns/op   0 newconns/1000req
BenchmarkZ/impl=mm7-2   100   50 ns/op
PASS
`
	runs, order, err := parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	rs := rows(runs, order)
	if len(rs) != 2 {
		t.Fatalf("%d rows, want 2 (Z has no baseline): %+v", len(rs), rs)
	}
	x, y := rs[0], rs[1]
	if x.name != "BenchmarkX/size=1" || x.baseline != "raw" || x.mm7NS != 200 || x.baseNS/x.mm7NS != 0.5 || x.mm7B != 10 {
		t.Errorf("X: %+v (median of 3 runs: 200 ns, 10 B)", x)
	}
	if y.baseline != "naive" || y.baseNS/y.mm7NS != 2 || y.hasB || len(y.extra) != 1 || !strings.Contains(y.extra[0], "newconns/1000req 3") {
		t.Errorf("Y: %+v", y)
	}
}
