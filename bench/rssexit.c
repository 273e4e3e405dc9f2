/* rssexit.so: preloaded into a natively linked program by bench/bench.sh, it appends to the
 * file named by JITRUN_BENCH_RSSEXIT, when the program exits, "EXE_KB<TAB>TOTAL_KB": the
 * resident memory (Rss, smaps) of the mappings of the program's own executable, and of the
 * whole process. EXE_KB is what a relocating loader replaces with its copy of the image;
 * the rest (libraries, heap, stacks) it needs as the native program does. This is the
 * memory floor of bench/README.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((destructor)) static void rss_at_exit(void) {
    const char *out = getenv("JITRUN_BENCH_RSSEXIT");
    if (!out || !*out)
        return;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return;
    exe[n] = 0;
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return;
    char line[4096 + 256];
    long exe_kb = 0, total_kb = 0, kb;
    int in_exe = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        int path_at = 0;
        /* A mapping's first line: "lo-hi perms offset dev inode [path]". */
        if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &lo, &hi, &path_at) == 2 && path_at > 0) {
            char *p = line + path_at;
            p[strcspn(p, "\n")] = 0;
            in_exe = strcmp(p, exe) == 0;
        } else if (sscanf(line, "Rss: %ld kB", &kb) == 1) {
            total_kb += kb;
            if (in_exe)
                exe_kb += kb;
        }
    }
    fclose(f);
    FILE *o = fopen(out, "a");
    if (o) {
        fprintf(o, "%ld\t%ld\n", exe_kb, total_kb);
        fclose(o);
    }
}
