/* A program linked against a shared library that calls back into it. */
#include <stdio.h>
int host_data = 100;
int host_cb(int x) { return x * 2; }
int lib_call(int);
int main(void) { printf("lib_call(21) = %d\n", lib_call(21)); return 0; }
