package jitlink

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortEntries checks the .eh_frame_hdr radix sort against a stable comparison sort:
// sorted runs interleaved (split hot and cold code), equal pcs, spans of one to five passes
// and the fallback for a span over 8 GiB.
func TestSortEntries(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		n    int
		span uint64
	}{{0, 1}, {1, 1}, {2, 16}, {100, 1 << 10}, {15000, 40 << 20}, {5000, 1 << 33}, {3000, 1 << 40}} {
		lo := uint64(0x7f0000000000)
		table := make([]ehEntry, tc.n)
		for i := range table {
			// A few sorted runs, as placed sections give, then noise and duplicates.
			run := uint64(i % 4)
			table[i] = ehEntry{pc: lo + (run*tc.span/4+uint64(i)*7)%tc.span, fde: uint64(i)}
			if i%13 == 0 {
				table[i].pc = lo + r.Uint64N(tc.span)
			}
			if i%17 == 0 && i > 0 {
				table[i].pc = table[i-1].pc
			}
		}
		want := slices.Clone(table)
		slices.SortStableFunc(want, func(a, b ehEntry) int { return cmp.Compare(a.pc, b.pc) })
		sortEntries(table, lo, lo+tc.span)
		if !slices.Equal(table, want) {
			t.Errorf("n=%d span=%#x: radix order differs from a stable sort", tc.n, tc.span)
		}
	}
}
