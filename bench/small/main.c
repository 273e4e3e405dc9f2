/* small workload: main object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "small.h"

int main(int argc, char **argv) {
    char buf[128];
    unsigned long h = 0;
    int i;

    printf("small: %d arg(s)\n", argc - 1);
    for (i = 1; i < argc; i++) {
        h ^= str_hash(argv[i]);
    }
    printf("hash of args: %lu\n", h);

    int vals[] = {42, 7, 19, 3, 88, 61, 5, 27};
    size_t n = sizeof vals / sizeof vals[0];
    sort_ints(vals, n);
    format_ints(buf, sizeof buf, vals, n);
    printf("sorted: %s\n", buf);

    char *dup = strdup("Hello, JIT world");
    upcase(dup);
    printf("upper: %s (len %zu)\n", dup, strlen(dup));
    free(dup);

    printf("counter: %d\n", bump_counter(5));
    return 0;
}
