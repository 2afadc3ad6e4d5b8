// nbody: symplectic-Euler integration of the Sun and the four gas giants
// (default 5,000,000 steps of 0.01 years). Prints the system's energy
// before and after. One goroutine.
//
// Variant of ../../../shared/bench/go/nbody.go (faithful port: full/nbody.gol)
// for the Gol of today: the size is the package variable size, read through
// sizeArg (tools/bench/run.sh rewrites it), %.9f is printed by hand to stderr,
// and, as there is no package math yet, math.Pi is spelt out and math.Sqrt is a
// Newton iteration in Gol. That sqrt runs in the inner loop, so this variant
// times software square roots (divisions) where the original times one sqrtsd:
// compare it with nbody.go (this same program), not with PEERS.md.
package main

import "runtime"

const pi = 3.14159265358979323846264338327950288419716939937510582097494459 // math.Pi

const (
	solarMass   = 4 * pi * pi
	daysPerYear = 365.24
	dt          = 0.01
)

var size = 5000000 // check-size: 1000

// sizeArg stands in for the original's, which parses os.Args[1]: it returns
// def through a test no compiler can decide (runtime.NumCPU is never below 1),
// so that the size is not a constant in any build, as with os.Args.
func sizeArg(def int) int {
	if runtime.NumCPU() < 1 {
		return 1
	}
	return def
}

type body struct {
	x, y, z, vx, vy, vz, m float64
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

// planet takes position in AU, velocity in AU/day and mass in solar masses.
func planet(x, y, z, vx, vy, vz, m float64) body {
	return body{x, y, z, vx * daysPerYear, vy * daysPerYear, vz * daysPerYear, m * solarMass}
}

func system() []body {
	return []body{
		{m: solarMass},
		planet(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
			1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
			9.54791938424326609e-04),
		planet(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
			-2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
			2.85885980666130812e-04),
		planet(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
			2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
			4.36624404335156298e-05),
		planet(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
			2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
			5.15138902046611451e-05),
	}
}

// centre gives the Sun the momentum that cancels the planets' total.
func centre(bs []body) {
	var px, py, pz float64
	for _, b := range bs {
		px += b.vx * b.m
		py += b.vy * b.m
		pz += b.vz * b.m
	}
	bs[0].vx = -px / solarMass
	bs[0].vy = -py / solarMass
	bs[0].vz = -pz / solarMass
}

func energy(bs []body) float64 {
	e := 0.0
	for i := range bs {
		a := &bs[i]
		e += 0.5 * a.m * (a.vx*a.vx + a.vy*a.vy + a.vz*a.vz)
		for j := i + 1; j < len(bs); j++ {
			b := &bs[j]
			dx, dy, dz := a.x-b.x, a.y-b.y, a.z-b.z
			e -= a.m * b.m / sqrt(dx*dx+dy*dy+dz*dz)
		}
	}
	return e
}

func step(bs []body) {
	for i := range bs {
		a := &bs[i]
		for j := i + 1; j < len(bs); j++ {
			b := &bs[j]
			dx, dy, dz := a.x-b.x, a.y-b.y, a.z-b.z
			d2 := dx*dx + dy*dy + dz*dz
			mag := dt / (d2 * sqrt(d2))
			a.vx -= dx * b.m * mag
			a.vy -= dy * b.m * mag
			a.vz -= dz * b.m * mag
			b.vx += dx * a.m * mag
			b.vy += dy * a.m * mag
			b.vz += dz * a.m * mag
		}
	}
	for i := range bs {
		b := &bs[i]
		b.x += dt * b.vx
		b.y += dt * b.vy
		b.z += dt * b.vz
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
	steps := sizeArg(size)
	bs := system()
	centre(bs)
	printFixed9(energy(bs))
	print("\n")
	for s := 0; s < steps; s++ {
		step(bs)
	}
	printFixed9(energy(bs))
	print("\n")
}
