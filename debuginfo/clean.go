package debuginfo

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
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
	if f, err := os.OpenFile(stamp, os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
		f.Close()
		now := time.Now()
		os.Chtimes(stamp, now, now)
	}
	Clean(dir, time.Now())
}

// Clean deletes the debug files under dir not used since now-MaxAge, stale temporary files
// and the directories they leave empty.
func Clean(dir string, now time.Time) {
	root := filepath.Join(dir, ".build-id")
	subs, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, sd := range subs {
		if !sd.IsDir() {
			continue
		}
		p := filepath.Join(root, sd.Name())
		files, err := os.ReadDir(p)
		if err != nil {
			continue
		}
		left := len(files)
		for _, f := range files {
			info, err := f.Info()
			if err != nil {
				continue
			}
			age := now.Sub(info.ModTime())
			n := f.Name()
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
