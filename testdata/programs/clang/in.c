/* Input compiled by TestClang's cc1 driver (natively linked and under jitrun); the two
 * object files must be identical. Uses libc and compiler headers, so the preprocessor
 * reads real system headers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

struct node {
    struct node *next;
    uint64_t key;
    double weight;
};

enum shape { CIRCLE, SQUARE, TRIANGLE, HEXAGON, STAR };

static uint64_t mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

uint64_t hash_list(const struct node *n) {
    uint64_t h = 1469598103934665603ULL;
    for (; n; n = n->next)
        h = mix(h ^ n->key) + (uint64_t)(n->weight * 1000.0);
    return h;
}

/* A loop the vectorizer turns into SIMD code. */
void saxpy(float *restrict y, const float *restrict x, float a, size_t n) {
    for (size_t i = 0; i < n; i++)
        y[i] += a * x[i];
}

int sum_squares(const int *v, size_t n) {
    int s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i] * v[i];
    return s;
}

/* A dense switch becomes a jump table. */
const char *shape_name(enum shape s) {
    switch (s) {
    case CIRCLE: return "circle";
    case SQUARE: return "square";
    case TRIANGLE: return "triangle";
    case HEXAGON: return "hexagon";
    case STAR: return "star";
    }
    return "unknown";
}

double area(enum shape s, double r) {
    switch (s) {
    case CIRCLE: return 3.14159265358979 * r * r;
    case SQUARE: return r * r;
    case TRIANGLE: return 0.4330127018922193 * r * r;
    case HEXAGON: return 2.598076211353316 * r * r;
    default: return 0;
    }
}

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int median(int *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_int);
    return n ? v[n / 2] : 0;
}

int format_all(char *buf, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

char *join(const char *const *parts, size_t n, char sep) {
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(parts[i]) + 1;
    char *out = malloc(len), *p = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(parts[i]);
        memcpy(p, parts[i], l);
        p += l;
        if (i + 1 < n)
            *p++ = sep;
    }
    *p = 0;
    return out;
}

static const struct {
    const char *name;
    int value;
} table[] = {{"alpha", 1}, {"beta", 2}, {"gamma", 3}, {"delta", 4}};

int lookup(const char *name) {
    for (size_t i = 0; i < COUNT_OF(table); i++)
        if (strcmp(table[i].name, name) == 0)
            return table[i].value;
    return -1;
}

_Thread_local int tls_counter;
int bump(void) { return ++tls_counter; }

int main(int argc, char **argv) {
    char buf[128];
    int v[] = {5, 3, 9, 1, 7};
    format_all(buf, sizeof buf, "%s %d %.3f %d", shape_name(argc % 5), median(v, COUNT_OF(v)), area(HEXAGON, 2.0),
               lookup(argc > 1 ? argv[1] : "gamma"));
    puts(buf);
    return bump() - 1;
}
