/* pulled only transitively, through used_a */
int used_c(int x)
{
	return x + 1000;
}
