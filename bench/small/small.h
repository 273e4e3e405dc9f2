#ifndef BENCH_SMALL_H
#define BENCH_SMALL_H
#include <stddef.h>

unsigned long str_hash(const char *s);
void upcase(char *s);
void sort_ints(int *v, size_t n);
void format_ints(char *buf, size_t size, const int *v, size_t n);
int bump_counter(int by);

#endif
