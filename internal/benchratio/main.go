// Command benchratio reads `go test -bench` output on stdin and prints, for
// every benchmark with an impl=mm7 sub-benchmark and a baseline of the
// same run (impl=raw or impl=naive), mm7's throughput as a multiple of
// the baseline's, with time and memory per operation of both. `make
// bench` runs it.
//
//	go test -run '^$' -bench . -benchmem ./mm7/ | go run ./internal/benchratio
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
)

// A result is the metrics of one benchmark line, by unit ("ns/op",
// "B/op", "newconns/1000req", ...).
type result map[string]float64

// benchLine matches "BenchmarkX/a=b/impl=mm7-2   100   123 ns/op   4 B/op ...".
var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

// parse collects the results of every run of each benchmark, by package
// and name.
func parse(r io.Reader) (map[string][]result, []string, error) {
	runs := map[string][]result{}
	var order []string
	pkg := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		fields := strings.Fields(m[2])
		res := result{}
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				break
			}
			res[fields[i+1]] = v
		}
		key := pkg + " " + m[1]
		if _, seen := runs[key]; !seen {
			order = append(order, key)
		}
		runs[key] = append(runs[key], res)
	}
	return runs, order, sc.Err()
}

// median returns the median of unit over rs, and whether any had it.
func median(rs []result, unit string) (float64, bool) {
	var vs []float64
	for _, r := range rs {
		if v, ok := r[unit]; ok {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		return 0, false
	}
	sort.Float64s(vs)
	return vs[len(vs)/2], true
}

// A row compares impl=mm7 with its baseline.
type row struct {
	name, baseline string
	mm7NS, baseNS  float64
	mm7B, baseB    float64
	hasB           bool
	extra          []string // other metrics of impl=mm7
}

func rows(runs map[string][]result, order []string) []row {
	var out []row
	for _, key := range order {
		if !strings.Contains(key, "impl=mm7") {
			continue
		}
		for _, base := range []string{"raw", "naive"} {
			bkey := strings.Replace(key, "impl=mm7", "impl="+base, 1)
			if _, ok := runs[bkey]; !ok {
				continue
			}
			r := row{name: strings.Replace(key[strings.Index(key, " ")+1:], "/impl=mm7", "", 1), baseline: base}
			r.mm7NS, _ = median(runs[key], "ns/op")
			r.baseNS, _ = median(runs[bkey], "ns/op")
			var ok1, ok2 bool
			r.mm7B, ok1 = median(runs[key], "B/op")
			r.baseB, ok2 = median(runs[bkey], "B/op")
			r.hasB = ok1 && ok2
			var units []string
			for u := range runs[key][0] {
				switch u {
				case "ns/op", "B/op", "allocs/op", "MB/s":
				default:
					units = append(units, u)
				}
			}
			slices.Sort(units)
			for _, u := range units {
				v, _ := median(runs[key], u)
				b, _ := median(runs[bkey], u)
				r.extra = append(r.extra, fmt.Sprintf("%s %.3g (%s %.3g)", u, v, base, b))
			}
			out = append(out, r)
			break
		}
	}
	return out
}

func main() {
	runs, order, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(1)
	}
	rs := rows(runs, order)
	if len(rs) == 0 {
		fmt.Fprintln(os.Stderr, "benchratio: no impl=mm7 benchmark with an impl=raw or impl=naive baseline in the input")
		os.Exit(1)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "benchmark\tbaseline\tmm7 µs/op\tbaseline µs/op\tthroughput ×baseline\tmm7 B/op\tbaseline B/op\tother\t")
	for _, r := range rs {
		b1, b2 := "-", "-"
		if r.hasB {
			b1, b2 = strconv.FormatFloat(r.mm7B, 'f', 0, 64), strconv.FormatFloat(r.baseB, 'f', 0, 64)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.1f\t%.1f\t%.2f×\t%s\t%s\t%s\t\n", r.name, r.baseline, r.mm7NS/1e3, r.baseNS/1e3, r.baseNS/r.mm7NS, b1, b2, strings.Join(r.extra, "; "))
	}
	tw.Flush()
}
