/* Input with diagnostics: TestClang compares the warnings and errors (and the exit
 * status) of the natively linked cc1 driver and the JIT'd one. */
#include <stddef.h>

struct point { int x, y; };

int unused_and_uninit(int a) {
    int unused;
    int u;
    if (a > 0)
        u = 1;
    return u + sizeof(struct point);
}

int fmt(void) {
    extern int printf(const char *, ...);
    return printf("%d %s\n", "not an int", 42);
}

int broken(struct point *p) {
    return p->z + undeclared_variable;
}

void missing_semicolon(void) {
    int x = 1
    (void)x;
}
