// spawn: goroutine creation and exit rate.
// Starts N goroutines (default 1,000,000). Each one writes a small value
// into its own slot; main sums the slots.
//
// Variant of ../../../shared/bench/go/spawn.go (faithful port: full/spawn.gol)
// for the Gol of today: the size is the package variable size, read through
// sizeArg (tools/bench/run.sh rewrites it) and the result goes to stderr
// through print. There is no sync.WaitGroup yet: every slot is non-zero once
// its goroutine has run, and main waits for each slot in turn, calling
// runtime.Gosched while it is still zero. (A data race by the Go memory model,
// harmless here: each slot has one writer, and main only reads it. Replace it
// with the WaitGroup once sync exists.) spawn.go is this same program.
package main

import "runtime"

var size = 1000000 // check-size: 10000

// sizeArg stands in for the original's, which parses os.Args[1]: it returns
// def through a test no compiler can decide (runtime.NumCPU is never below 1),
// so that the size is not a constant in any build, as with os.Args.
func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

func task(i int, slots []int) {
	slots[i] = i%10 + 1
}

func main() {
	n := sizeArg(size)
	slots := make([]int, n)
	for i := 0; i < n; i++ {
		go task(i, slots)
	}
	for i := range slots {
		for slots[i] == 0 {
			runtime.Gosched()
		}
	}
	sum := 0
	for _, v := range slots {
		sum += v
	}
	print("spawned ", n, " sum ", sum, "\n")
}
