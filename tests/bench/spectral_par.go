// spectral_par: the spectral workload (default n=2000) with each
// matrix-vector product split into row bands, one goroutine per
// runtime.GOMAXPROCS(0). Every row is summed in the same order as in
// spectral, so the output is identical.
//
// Variant of ../../../shared/bench/go/spectral_par.go (faithful port:
// full/spectral_par.gol) for the Gol of today: the size is the package variable
// size, read through sizeArg (tools/bench/run.sh rewrites it), math.Sqrt is a
// Newton iteration (called once) and %.9f is printed by hand to stderr. There
// is no sync.WaitGroup yet: each band sets its own done flag last, and main
// polls the flags, calling runtime.Gosched between polls. (A data race by the
// Go memory model; correct on amd64, whose stores are seen in program order.
// Replace it with the WaitGroup once sync exists.) spectral_par.go is this same
// program.
package main

import "runtime"

var size = 2000 // check-size: 100

// sizeArg stands in for the original's, which parses os.Args[1]: it returns
// def through a test no compiler can decide (runtime.NumCPU is never below 1),
// so that the size is not a constant in any build, as with os.Args.
func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

func entry(i, j int) float64 {
	return 1.0 / float64((i+j)*(i+j+1)/2+i+1)
}

func band(v, out []float64, lo, hi int, transpose bool, done *int) {
	for i := lo; i < hi; i++ {
		s := 0.0
		for j, x := range v {
			if transpose {
				s += entry(j, i) * x
			} else {
				s += entry(i, j) * x
			}
		}
		out[i] = s
	}
	*done = 1
}

func times(v, out []float64, transpose bool, done []int) {
	workers := len(done)
	n := len(out)
	for w := 0; w < workers; w++ {
		done[w] = 0
		go band(v, out, w*n/workers, (w+1)*n/workers, transpose, &done[w])
	}
	for w := 0; w < workers; w++ {
		for done[w] == 0 {
			runtime.Gosched()
		}
	}
}

// sqrt stands in for math.Sqrt: scale x by powers of 4 into [1,4), then
// Newton's method from above, which decreases monotonically until it
// reaches the root (to the last bit or one ulp above it).
func sqrt(x float64) float64 {
	if x <= 0 {
		return 0
	}
	scale := 1.0
	for x >= 4 {
		x *= 0.25
		scale *= 2
	}
	for x < 1 {
		x *= 4
		scale *= 0.5
	}
	z := 2.0
	for {
		next := (z + x/z) / 2
		if next >= z {
			return z * scale
		}
		z = next
	}
}

// printFixed9 prints x as fmt's %.9f would (up to rounding in the last digit).
func printFixed9(x float64) {
	if x < 0 {
		print("-")
		x = -x
	}
	scaled := int64(x*1e9 + 0.5)
	frac := scaled % 1000000000
	print(scaled/1000000000, ".")
	for d := int64(100000000); d > 1 && frac < d; d /= 10 {
		print("0")
	}
	print(frac)
}

func main() {
	n := sizeArg(size)
	done := make([]int, runtime.GOMAXPROCS(0))
	u := make([]float64, n)
	v := make([]float64, n)
	tmp := make([]float64, n)
	for i := range u {
		u[i] = 1
	}
	for round := 0; round < 10; round++ {
		times(u, tmp, false, done)
		times(tmp, v, true, done)
		times(v, tmp, false, done)
		times(tmp, u, true, done)
	}
	uv, vv := 0.0, 0.0
	for i := range v {
		uv += u[i] * v[i]
		vv += v[i] * v[i]
	}
	print("n ", n, " norm ")
	printFixed9(sqrt(uv / vv))
	print("\n")
}
