int used_c(int);
int helper(int);

int used_a(int x)
{
	return used_c(x) + helper(1);
}
