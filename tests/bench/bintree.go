// bintree: allocation and GC stress with perfect binary trees, one
// goroutine. With maximum depth D (default 18): build and walk one tree of
// depth D+1, keep one tree of depth D alive throughout, and for depths
// 4, 6, ..., D build and walk 2^(D-d+4) short-lived trees.
//
// Variant of ../../../shared/bench/go/bintree.go (faithful port:
// full/bintree.gol) for the Gol of today: the size is the package variable
// size, read through sizeArg (tools/bench/run.sh rewrites it) and the results
// go to stderr through print. The output lines are the same as the original's.
// Until Gol has its collector, the Gol build keeps every node: about 1.1 GiB at
// D=18. bintree.go is this same program.
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

func churn(depth, rounds int) int {
	total := 0
	for i := 0; i < rounds; i++ {
		total += grow(depth).nodes()
	}
	return total
}

func main() {
	maxD := sizeArg(size)
	if maxD < minDepth+2 {
		maxD = minDepth + 2
	}
	print("stretch depth ", maxD+1, " nodes ", grow(maxD+1).nodes(), "\n")
	keep := grow(maxD)
	for d := minDepth; d <= maxD; d += 2 {
		rounds := 1 << uint(maxD-d+minDepth)
		print("depth ", d, " trees ", rounds, " nodes ", churn(d, rounds), "\n")
	}
	print("kept depth ", maxD, " nodes ", keep.nodes(), "\n")
}
