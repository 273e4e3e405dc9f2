#include <stdio.h>
int thin_a(void);
double thin_b(double);
int main(void) { printf("%d %.3f\n", thin_a(), thin_b(2.0)); return 0; }
