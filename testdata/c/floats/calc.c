long double ld_poly(long double x)
{
	return ((x * x - 2.0L) * x + 0.5L) / 3.0L;
}

double d_series(int n)
{
	double s = 0;
	for (int k = 0; k < n; k++)
		s += (k & 1 ? -4.0 : 4.0) / (2 * k + 1);
	return s;
}

float f_mix(float a, float b)
{
	return a * b - a / b;
}
