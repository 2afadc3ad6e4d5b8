// stack_shrink: goroutines that once ran deep give their stack back when they park.
// Starts N goroutines (default 10,000) one after another; each recurses 100,000 frames deep,
// returns, reports, and parks on a channel. Only one goroutine is deep at a time, so peak RSS
// stays near N parked goroutines if a parked goroutine keeps only the stack it uses now,
// and grows by N deep stacks (GBs) if it keeps what it once used. Compare the peak RSS
// column (tools/bench/run.sh) with spawn_hold's; Go shrinks stacks at garbage collections.
package main

import (
	"runtime"
	"sync"
)

var size = 10000 // check-size: 100

func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

func deep(n int) int {
	if n == 0 {
		return 0
	}
	return deep(n-1)*3 + 1
}

func main() {
	n := sizeArg(size)
	gate := make(chan struct{})
	ready := make(chan int)
	var done sync.WaitGroup
	done.Add(n)
	sum := 0
	for i := 0; i < n; i++ {
		go func() {
			ready <- deep(100000) & 1023
			<-gate
			done.Done()
		}()
		sum += <-ready
	}
	close(gate)
	done.Wait()
	print("parked ", n, " depth sum ", sum, "\n")
}
