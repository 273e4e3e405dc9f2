#include <math.h>
#include <stdio.h>

double mean(const double *v, int n);
double stddev(const double *v, int n);

static volatile double inputs[] = {0.5, 1.25, -2.75, 3.0, 10.0, 0.001};

int main(void)
{
	for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		double x = inputs[i];
		printf("x=%.6f sin=%.6f cos=%.6f exp=%.6f atan2=%.6f\n", x, sin(x), cos(x), exp(x), atan2(x, 1.5));
		printf("  pow=%.6f fmod=%.6f lround=%ld floor=%.6f ceil=%.6f cbrt=%.6f\n",
		       pow(fabs(x), 1.7), fmod(x, 0.7), lround(x * 3.3), floor(x), ceil(x), cbrt(x));
		if (x > 0)
			printf("  log=%.6f sqrt=%.6f log10=%.6f\n", log(x), sqrt(x), log10(x));
	}
	double v[6];
	for (int i = 0; i < 6; i++)
		v[i] = inputs[i];
	printf("mean=%.6f stddev=%.6f\n", mean(v, 6), stddev(v, 6));
	printf("hypot=%.6f tanh=%.6f float sinf=%.6f\n", hypot(inputs[3], 4.0), tanh(inputs[1]), (double)sinf((float)inputs[0]));
	return 0;
}
