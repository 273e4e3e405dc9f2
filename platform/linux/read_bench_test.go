package linux

import (
	"os"
	"testing"

	"github.com/jitrun/jitrun/archive"
)

// BenchmarkReadObject reads every member of Debian's static libpython (178 objects, 204,000
// relocations), one after another: the per-object parsing cost of a link (CPython's link
// reads them on two cores). Skipped without libpython3.11-dev.
func BenchmarkReadObject(b *testing.B) {
	const lib = "/usr/lib/x86_64-linux-gnu/libpython3.11.a"
	data, err := os.ReadFile(lib)
	if err != nil {
		b.Skip(err)
	}
	a, err := archive.Parse(lib, data)
	if err != nil {
		b.Fatal(err)
	}
	var n, relocs int
	for _, m := range a.Members {
		if IsELF(m.Data) {
			g, err := ReadObject(m.Name, m.Data)
			if err != nil {
				b.Fatal(err)
			}
			n++
			for _, s := range g.Sections {
				if s != nil {
					relocs += s.NumEdges()
				}
			}
		}
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, m := range a.Members {
			if IsELF(m.Data) {
				if _, err := ReadObject(m.Name, m.Data); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.ReportMetric(float64(n), "objects")
	b.ReportMetric(float64(relocs), "relocs")
}
