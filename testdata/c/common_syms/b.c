int shared_counter;
char common_buf[64]; /* largest size wins */
int initialized_elsewhere = 77;

void b_bump(void)
{
	shared_counter += 10;
}

int b_buf_sum(void)
{
	int s = 0;
	common_buf[63] = 5;
	for (int i = 0; i < 64; i++)
		s += common_buf[i];
	return s;
}
