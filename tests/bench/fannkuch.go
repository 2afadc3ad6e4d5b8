// fannkuch: for every permutation of 1..n (default n=10) count how many
// prefix reversals ("pancake flips") it takes until 1 is in front. Prints
// the largest count and a signed checksum that depends on the order in
// which permutations are visited (even positions add, odd ones subtract).
//
// Variant of ../../../shared/bench/go/fannkuch.go (faithful port:
// full/fannkuch.gol) for the Gol of today: the size is the package variable
// size, read through sizeArg (tools/bench/run.sh rewrites it) and the result
// goes to stderr through print. The output line is the same as the original's.
// fannkuch.go is this same program.
package main

import "runtime"

var size = 10 // check-size: 7

// sizeArg stands in for the original's, which parses os.Args[1]: it returns
// def through a test no compiler can decide (runtime.NumCPU is never below 1),
// so that the size is not a constant in any build, as with os.Args.
func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

// flips counts prefix reversals of a scratch copy of p until p[0] == 0.
func flips(p, scratch []int) int {
	copy(scratch, p)
	count := 0
	for first := scratch[0]; first != 0; first = scratch[0] {
		for i, j := 0, first; i < j; i, j = i+1, j-1 {
			scratch[i], scratch[j] = scratch[j], scratch[i]
		}
		count++
	}
	return count
}

func main() {
	n := sizeArg(size)
	perm := make([]int, n)
	scratch := make([]int, n)
	left := make([]int, n) // left[k]: rotations of prefix k+1 still to do
	for i := range perm {
		perm[i] = i
	}
	most, checksum, index := 0, 0, 0
	k := n
	for {
		for ; k > 1; k-- {
			left[k-1] = k
		}
		f := flips(perm, scratch)
		if f > most {
			most = f
		}
		if index%2 == 0 {
			checksum += f
		} else {
			checksum -= f
		}
		index++
		// Advance: rotate the shortest prefix that still has rotations
		// left; a prefix whose rotations are used up is reset by the loop
		// at the top once a longer prefix has turned.
		for {
			if k == n {
				print("checksum ", checksum, " max flips ", most, " permutations ", index, "\n")
				return
			}
			head := perm[0]
			copy(perm[:k], perm[1:k+1])
			perm[k] = head
			left[k]--
			if left[k] > 0 {
				break
			}
			k++
		}
	}
}
