#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

long double ld_poly(long double x);
double d_series(int n);
float f_mix(float a, float b);

int main(void)
{
	volatile float f = 1.0f / 3;
	volatile double d = 2.0 / 3;
	volatile long double ld = 1.0L / 7;
	printf("float %.9g %f %e %a\n", f, f, f, f);
	printf("double %.17g %.3f %E %a\n", d, d, d, d);
	printf("long double %.21Lg %Lf %Le %La\n", ld, ld, ld, ld);
	printf("limits %g %g %.10Lg %g\n", FLT_MAX, DBL_MIN, LDBL_MAX, DBL_EPSILON);
	volatile double zero = 0.0;
	printf("specials %f %f %f %g %+.0f\n", 1 / zero, -1 / zero, zero / zero, -zero, 2.5);
	printf("rounding %.0f %.0f %.0f %.1f %.2f\n", 0.5, 1.5, 2.5, 0.05, 1.005);
	printf("ld_poly=%.15Lf d_series=%.15f f_mix=%.6f\n", ld_poly(1.5L), d_series(1000), f_mix(1.5f, 2.25f));
	printf("strtod=%.10g strtold=%.18Lg strtof=%.7g\n", strtod("1.5e-3", NULL), strtold("3.141592653589793238462643", NULL),
	       strtof("0.1", NULL));
	printf("%8.3f|%-8.2e|%08.2f|%g|%g\n", 3.14159, 1234.5, -2.5, 1e-5, 123456789.0);
	return 0;
}
