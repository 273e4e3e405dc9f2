package debuginfo

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jitrun/jitrun/platform/linux"
)

// Clean-up policy of the debug directory: a debug file not used (written or touched by a
// registration) for MaxAge is deleted, as is a temporary file left by a process that exited
// while writing. The directory is scanned at most once per CleanInterval.
var (
	MaxAge        = 7 * 24 * time.Hour
	CleanInterval = 24 * time.Hour
	tmpMaxAge     = time.Hour
	cleanMu       sync.Mutex
	cleaned       = map[string]bool{}
)

func cleanupOnce(dir string) {
	cleanMu.Lock()
	if cleaned[dir] {
		cleanMu.Unlock()
		return
	}
	cleaned[dir] = true
	cleanMu.Unlock()
	stamp := filepath.Join(dir, ".last-clean")
	if st, err := os.Stat(stamp); err == nil && time.Since(st.ModTime()) < CleanInterval {
		return
	}
	if fd, err := syscall.Open(stamp, syscall.O_CREAT|syscall.O_WRONLY|syscall.O_CLOEXEC, 0o600); err == nil {
		syscall.Close(fd)
		now := time.Now()
		os.Chtimes(stamp, now, now)
	}
	Clean(dir, time.Now())
}

// Clean deletes the debug files under dir not used since now-MaxAge, stale temporary files
// and the directories they leave empty. Directories are read with system calls only (an
// os.File would start the Go runtime's poller, whose descriptors the program would see).
func Clean(dir string, now time.Time) {
	root := filepath.Join(dir, ".build-id")
	subs, err := linux.ReadDirNames(root)
	if err != nil {
		return
	}
	for _, sd := range subs {
		p := filepath.Join(root, sd)
		if st, err := os.Lstat(p); err != nil || !st.IsDir() {
			continue
		}
		files, err := linux.ReadDirNames(p)
		if err != nil {
			continue
		}
		left := len(files)
		for _, n := range files {
			info, err := os.Lstat(filepath.Join(p, n))
			if err != nil {
				continue
			}
			age := now.Sub(info.ModTime())
			if strings.HasSuffix(n, ".debug") && age > MaxAge || strings.HasPrefix(n, ".tmp-") && age > tmpMaxAge {
				if os.Remove(filepath.Join(p, n)) == nil {
					left--
				}
			}
		}
		if left == 0 {
			os.Remove(p)
		}
	}
}
