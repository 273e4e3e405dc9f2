/* small workload: number helpers and some global state (a separate object). */
#include <stdio.h>
#include <stdlib.h>

#include "small.h"

static int counter = 10;   /* initialized data */
static int calls;          /* bss */

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

void sort_ints(int *v, size_t n) {
    calls++;
    qsort(v, n, sizeof *v, cmp_int);   /* libc calls back into JITed code */
}

void format_ints(char *buf, size_t size, const int *v, size_t n) {
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && off < size; i++)
        off += (size_t)snprintf(buf + off, size - off, i ? " %d" : "%d", v[i]);
}

int bump_counter(int by) {
    calls++;
    counter += by;
    return counter * 100 + calls;
}
