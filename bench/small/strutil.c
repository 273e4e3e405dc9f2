/* small workload: string helpers (a separate object). */
#include <ctype.h>

#include "small.h"

unsigned long str_hash(const char *s) {
    unsigned long h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

void upcase(char *s) {
    for (; *s; s++)
        *s = (char)toupper((unsigned char)*s);
}
