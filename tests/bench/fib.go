// fib: naive doubly recursive Fibonacci (default fib(40)); measures plain
// call overhead, including any stack-growth check or preemption poll in
// the function prologue.
//
// Variant of ../../../shared/bench/go/fib.go (faithful port: full/fib.gol) for
// the Gol of today: no os.Args/strconv/fmt yet, so the size is the package
// variable size, read through sizeArg (tools/bench/run.sh rewrites it for
// --check and name=SIZE) and the result goes to stderr through print. fib.go is
// this same program.
package main

import "runtime"

var size = 40 // check-size: 20

// sizeArg stands in for the original's, which parses os.Args[1]: it returns
// def through a test no compiler can decide (runtime.NumCPU is never below 1),
// so that the size is not a constant in any build, as with os.Args.
func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func main() {
	n := sizeArg(size)
	print("fib(", n, ") = ", fib(n), "\n")
}
