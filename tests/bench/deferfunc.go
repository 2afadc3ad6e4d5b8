// deferfunc: a small function with a defer, called in a hot loop. The deferred call undoes a
// counter change (the shape of mu.Lock(); defer mu.Unlock()), so the function's result depends
// on the deferred call having run; measures the cost of setting up and running one defer per
// call (gc 1.19 open-codes it).
//
// No reference program: written for issue 6 (target <= 1.2x Go). deferfunc.go is this same
// program. The size is the package variable size, read through sizeArg (tools/bench/run.sh
// rewrites it for --check and name=SIZE); the result goes to stderr through print.
package main

import "runtime"

var size = 20000000 // check-size: 1000

func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

type guard struct{ depth, max int }

func (g *guard) enter() { g.depth++ }
func (g *guard) leave() { g.depth-- }

func step(g *guard, x int) int {
	g.enter()
	defer g.leave()
	if g.depth > g.max {
		g.max = g.depth
	}
	return x*3 + g.depth
}

func main() {
	n := sizeArg(size)
	g := &guard{}
	total := 0
	for i := 0; i < n; i++ {
		total += step(g, i&1023)
		total &= 0xffffffff
	}
	print("deferfunc(", n, ") = ", total, " depth ", g.depth, " max ", g.max, "\n")
}
