// Command gen generates and compiles a synthetic C program for linker scaling benchmarks
// (bench/scaling.sh): OBJECTS objects with FUNCS functions in all and about RELOCS
// relocations, calls across objects, data pointers, string literals and globals (see
// package cprog), a driver main per size that calls every function and prints a checksum,
// and an archive of all objects.
//
//	go run ./bench/gen -objects 2000 -funcs 100000 -relocs 1000000 -out DIR
//
// DIR gets src/oNNNN.c and obj/oNNNN.o (objects), obj/main_M.o (the driver for objects
// 0..M-1, one per size: -sizes 8,4,2,1 means 1/8, 1/4, 1/2 and all of them), libgen.a
// (all objects; with a driver, an archive link pulls exactly that size's objects), and
// sizes.txt (one M per line). The objects are compiled in parallel (-j, default: the
// number of CPUs) with $CC (default gcc) -O2; an object whose source has not changed is
// not compiled again.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jitrun/jitrun/bench/gen/cprog"
)

func main() {
	var c cprog.Config
	flag.IntVar(&c.Objects, "objects", 2000, "number of objects")
	flag.IntVar(&c.Funcs, "funcs", 100000, "number of functions in all")
	flag.IntVar(&c.Relocs, "relocs", 1000000, "approximate number of relocations")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "", "output directory (required)")
	sizes := flag.String("sizes", "8,4,2,1", "drivers for 1/N of the objects, for each N")
	jobs := flag.Int("j", runtime.NumCPU(), "parallel compiler jobs")
	cflags := flag.String("cflags", "-O2", "compiler flags")
	flag.Parse()
	c.Seed = *seed
	if *out == "" || c.Objects < 1 || c.Funcs < c.Objects {
		fmt.Fprintln(os.Stderr, "usage: gen -out DIR [-objects N] [-funcs N] [-relocs N] [-sizes 8,4,2,1] (funcs >= objects >= 1)")
		os.Exit(2)
	}
	if err := generate(c, *out, *sizes, *jobs, strings.Fields(*cflags)); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// writeIfChanged writes data to path unless it already holds exactly that; it reports
// whether it wrote.
func writeIfChanged(path string, data []byte) (bool, error) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	return true, os.WriteFile(path, data, 0o644)
}

func generate(c cprog.Config, out, sizeList string, jobs int, cflags []string) error {
	src, obj := filepath.Join(out, "src"), filepath.Join(out, "obj")
	for _, d := range []string{src, obj} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "gcc"
	}
	var ms []int
	for _, f := range strings.Split(sizeList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("-sizes: bad fraction %q", f)
		}
		ms = append(ms, max(c.Objects/n, 1))
	}

	type unit struct{ name, text string }
	var units []unit
	for i := range c.Objects {
		units = append(units, unit{cprog.ObjectName(i), ""})
	}
	for _, m := range ms {
		units = append(units, unit{fmt.Sprintf("main_%d", m), cprog.Driver(c, m)})
	}
	start := time.Now()
	var (
		mu       sync.Mutex
		firstErr error
		compiled int
		wg       sync.WaitGroup
	)
	next := make(chan int)
	for range max(jobs, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				u := units[i]
				text := u.text
				if text == "" {
					text = cprog.Object(c, i)
				}
				cfile, ofile := filepath.Join(src, u.name+".c"), filepath.Join(obj, u.name+".o")
				changed, err := writeIfChanged(cfile, []byte(text))
				if err == nil && !changed {
					if _, serr := os.Stat(ofile); serr == nil {
						continue
					}
				}
				if err == nil {
					args := append(append([]string{}, cflags...), "-c", "-o", ofile, cfile)
					if o, cerr := exec.Command(cc, args...).CombinedOutput(); cerr != nil {
						os.Remove(ofile)
						err = fmt.Errorf("%s %s: %v\n%s", cc, strings.Join(args, " "), cerr, o)
					}
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if err == nil {
					compiled++
				}
				mu.Unlock()
			}
		}()
	}
	for i := range units {
		next <- i
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	fmt.Fprintf(os.Stderr, "gen: %d objects, %d functions (%d per object, %d calls each), %d compiled with %d jobs in %v\n",
		c.Objects, c.FuncsPerObject()*c.Objects, c.FuncsPerObject(), c.CallsPerFunc(), compiled, jobs, time.Since(start).Round(time.Millisecond))

	// The archive of all objects, rebuilt when an object changed.
	lib := filepath.Join(out, "libgen.a")
	if compiled > 0 || !exists(lib) {
		os.Remove(lib)
		args := []string{"rcs", lib}
		for i := range c.Objects {
			args = append(args, filepath.Join(obj, cprog.ObjectName(i)+".o"))
		}
		if o, err := exec.Command("ar", args...).CombinedOutput(); err != nil {
			return fmt.Errorf("ar: %v\n%s", err, o)
		}
	}
	var sb strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&sb, "%d\n", m)
	}
	_, err := writeIfChanged(filepath.Join(out, "sizes.txt"), []byte(sb.String()))
	return err
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
