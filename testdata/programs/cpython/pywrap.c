/* The JIT'd interpreter's sys.executable. CPython's tests start sys.executable as a child
 * process; under jitrun there is no interpreter binary, so this program stands in for
 * one: it execs the jitrun command line stored in "<this program>.args" (arguments
 * separated by NUL bytes, --argv0 naming this program), then "--" and its own arguments.
 * Unlike a shell script it passes the environment through untouched (shells drop
 * variables whose names are not identifiers and add PWD, SHLVL, _). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    char path[PATH_MAX + 8];
    ssize_t n = readlink("/proc/self/exe", path, PATH_MAX);
    if (n < 0) {
        perror("pywrap: /proc/self/exe");
        return 127;
    }
    strcpy(path + n, ".args");
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return 127;
    }
    static char buf[1 << 16];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = 0;

    char **args = calloc(len + (size_t)argc + 2, sizeof *args);
    size_t k = 0;
    for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
        args[k++] = buf + i;
    args[k++] = "--";
    for (int i = 1; i < argc; i++)
        args[k++] = argv[i];
    args[k] = NULL;
    execv(args[0], args);
    perror(args[0]);
    return 127;
}
