#include <math.h>

double mean(const double *v, int n)
{
	double s = 0;
	for (int i = 0; i < n; i++)
		s += v[i];
	return s / n;
}

double stddev(const double *v, int n)
{
	double m = mean(v, n), s = 0;
	for (int i = 0; i < n; i++)
		s += pow(v[i] - m, 2);
	return sqrt(s / n);
}
