#include <stddef.h>
void fill(int n, int m, long a[n][m])
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < m; j++)
			a[i][j] = i * 100 + j;
}
long matrix_trace(int n, int m, long a[n][m])
{
	long t = 0;
	for (int i = 0; i < n && i < m; i++)
		t += a[i][i];
	return t;
}
size_t vla_size(int n)
{
	char buf[n][n + 1];
	buf[n - 1][n] = 0;
	return sizeof buf + (size_t)buf[n - 1][n];
}
