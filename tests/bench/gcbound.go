// gcbound: memory stays bounded under a long allocation stream. Keeps about 50 MB live in a
// ring of 640 slots (each a short linked list of small nodes plus one byte slice of 1 to 64
// KiB, about 80 KB per slot) and replaces one slot at a time until size MB have been
// allocated in all: 4 GB by default, to keep the default suite short; the figure is
// 20 GB (tools/bench/run.sh gcbound=20480). Peak RSS, from /usr/bin/time or
// tools/bench/run.sh, should stay near Go's, a small multiple of the live 50 MB, whatever
// size is. gcbound.go is this same program.
package main

import "runtime"

var size = 4096 // check-size: 256

func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

type node struct {
	next *node
	val  int
	pad  [2]int
}

type slot struct {
	list *node
	buf  []byte
	sum  int
}

const slots = 640
const nodesPerSlot = 1500

func fill(s *slot, k int) int {
	bytes := 0
	var head *node
	sum := 0
	for i := 0; i < nodesPerSlot; i++ {
		head = &node{next: head, val: k + i}
		sum += k + i
	}
	bytes += nodesPerSlot * 32
	n := (k*7919)%(64<<10) + 1024
	buf := make([]byte, n)
	buf[0] = byte(k)
	buf[n-1] = byte(k >> 8)
	bytes += n
	s.list = head
	s.buf = buf
	s.sum = sum
	return bytes
}

func verify(s *slot) bool {
	sum := 0
	for p := s.list; p != nil; p = p.next {
		sum += p.val
	}
	return sum == s.sum
}

func main() {
	total := sizeArg(size) << 20
	ring := make([]slot, slots)
	allocated := 0
	k := 0
	bad := 0
	for allocated < total {
		s := &ring[k%slots]
		if s.list != nil && !verify(s) {
			bad++
		}
		allocated += fill(s, k)
		k++
	}
	for i := range ring {
		if !verify(&ring[i]) {
			bad++
		}
	}
	println("slots replaced", k >= slots, "bad", bad)
}
