// bintree_par: the bintree workload (default D=18) with the short-lived
// trees of each depth built in a goroutine of their own. Output identical
// to bintree's.
//
// Variant of ../../../shared/bench/go/bintree_par.go (faithful port:
// full/bintree_par.gol) for the Gol of today: the size is the package variable
// size, read through sizeArg (tools/bench/run.sh rewrites it), results go to
// stderr through print, and, with no fmt.Sprintf, each goroutine stores its
// node count instead of its line. There is no sync.WaitGroup yet: a count is
// never zero, so main waits for each one in turn, calling runtime.Gosched while
// it is still zero. (A data race by the Go memory model, harmless here: one
// writer per slot. Replace it with the WaitGroup once sync exists.) Until Gol
// has its collector, the Gol build keeps every node: about 1.1 GiB at D=18.
// bintree_par.go is this same program.
package main

import "runtime"

const minDepth = 4

var size = 18 // check-size: 8

// sizeArg stands in for the original's, which parses os.Args[1]: it returns
// def through a test no compiler can decide (runtime.NumCPU is never below 1),
// so that the size is not a constant in any build, as with os.Args.
func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

type tree struct {
	l, r *tree
}

func grow(depth int) *tree {
	if depth == 0 {
		return &tree{}
	}
	return &tree{grow(depth - 1), grow(depth - 1)}
}

func (t *tree) nodes() int {
	if t.l == nil {
		return 1
	}
	return 1 + t.l.nodes() + t.r.nodes()
}

func churn(depth, rounds int, out *int) {
	total := 0
	for i := 0; i < rounds; i++ {
		total += grow(depth).nodes()
	}
	*out = total
}

func main() {
	maxD := sizeArg(size)
	if maxD < minDepth+2 {
		maxD = minDepth + 2
	}
	print("stretch depth ", maxD+1, " nodes ", grow(maxD+1).nodes(), "\n")
	keep := grow(maxD)
	totals := make([]int, (maxD-minDepth)/2+1)
	for k := range totals {
		d := minDepth + 2*k
		go churn(d, 1<<uint(maxD-d+minDepth), &totals[k])
	}
	for k := range totals {
		for totals[k] == 0 {
			runtime.Gosched()
		}
	}
	for k, total := range totals {
		d := minDepth + 2*k
		print("depth ", d, " trees ", 1<<uint(maxD-d+minDepth), " nodes ", total, "\n")
	}
	print("kept depth ", maxD, " nodes ", keep.nodes(), "\n")
}
