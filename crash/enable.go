package crash

import (
	"path/filepath"

	"github.com/jitrun/jitrun/platform/linux"
)

// EnableOptions configure the crash reports of a program run by jitrun.
type EnableOptions struct {
	ReportFile string // also write FILE (JSON) and FILE.markup
	DebugDir   string // where the JIT'd modules' debug files are
	Program    string // the program's name (argv[0])
}

// Enable arranges for a crash of the program RunMain starts to be reported by this
// executable's reporter (its main must call RunReporter for ReporterCommand).
func Enable(o EnableOptions) error {
	args := []string{"jitrun", ReporterCommand}
	if o.DebugDir != "" {
		args = append(args, "--debug-dir="+o.DebugDir)
	}
	if o.ReportFile != "" {
		p, err := filepath.Abs(o.ReportFile)
		if err != nil {
			return err
		}
		args = append(args, "--report="+p)
	}
	if o.Program != "" {
		args = append(args, "--program="+o.Program)
	}
	return linux.EnableCrashReports("/proc/self/exe", args, nil)
}
