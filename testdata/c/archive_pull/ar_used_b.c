int used_b(int x)
{
	return x * x;
}
