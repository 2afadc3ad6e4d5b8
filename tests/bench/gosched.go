// gosched: the cost of a bare scheduler round trip.
// Two goroutines on one P call runtime.Gosched N times each (default 10,000,000),
// so every call switches to the other goroutine and back through the run queue.
// Prints the number of yields; the harness divides wall time by 2N.
//
// Variant of ../../../shared/bench/go/gosched.go (faithful port:
// full/gosched.gol) for the Gol of today: the size is the package variable
// size, read through sizeArg (tools/bench/run.sh rewrites it) and the result
// goes to stderr through print. There is no sync.WaitGroup yet, so main is the
// first yielder itself, and then waits for the second one's done flag, calling
// runtime.Gosched (GOMAXPROCS is 1, so there is no data race). The output line
// is the same as the original's. gosched.go is this same program.
package main

import "runtime"

var size = 10000000 // check-size: 10000

// sizeArg stands in for the original's, which parses os.Args[1]: it returns
// def through a test no compiler can decide (runtime.NumCPU is never below 1),
// so that the size is not a constant in any build, as with os.Args.
func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

func yielder(n int, count *int, done *bool) {
	for i := 0; i < n; i++ {
		runtime.Gosched()
		*count++
	}
	*done = true
}

func main() {
	n := sizeArg(size)
	runtime.GOMAXPROCS(1)
	var a, b int
	var doneA, doneB bool
	go yielder(n, &b, &doneB)
	yielder(n, &a, &doneA)
	for !doneB {
		runtime.Gosched()
	}
	println("yields", a+b)
}
