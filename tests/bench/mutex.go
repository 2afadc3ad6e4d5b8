// mutex: GOMAXPROCS goroutines increment one counter under a sync.Mutex, N increments in
// total (default 100,000,000): the uncontended fast path at GOMAXPROCS=1, the spinning,
// parking and hand-off paths from 2 up.
//
// Variant of ../../../shared/bench/go/mutex.go for the Gol of today: the size is the
// package variable size, read through sizeArg (tools/bench/run.sh rewrites it) and the
// result goes to stderr through print. The output line is the same as the original's.
// sync.Mutex and sync.WaitGroup are the real ones. mutex.go is this same program.
package main

import (
	"runtime"
	"sync"
)

var size = 100000000 // check-size: 100000

// sizeArg stands in for the original's, which parses os.Args[1]: it returns
// def through a test no compiler can decide (runtime.NumCPU is never below 1),
// so that the size is not a constant in any build, as with os.Args.
func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

type counter struct {
	mu sync.Mutex
	n  int
}

func bump(c *counter, times int, wg *sync.WaitGroup) {
	for i := 0; i < times; i++ {
		c.mu.Lock()
		c.n++
		c.mu.Unlock()
	}
	wg.Done()
}

func main() {
	n := sizeArg(size)
	workers := runtime.GOMAXPROCS(0)
	var c counter
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go bump(&c, (w+1)*n/workers-w*n/workers, &wg)
	}
	wg.Wait()
	println("counter", c.n)
}
