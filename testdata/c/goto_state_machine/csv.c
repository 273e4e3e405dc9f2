/* CSV field counter with computed gotos */
int count_csv_fields(const char *p)
{
	static void *const plain_tbl[3] = {&&end, &&sep, &&plain_char};
	int fields = 1;
	char c;
#define CLS(c) ((c) == 0 || (c) == '\n' ? 0 : (c) == ',' ? 1 : 2)
plain:
	c = *p++;
	if (c == '"')
		goto quoted;
	goto *plain_tbl[CLS(c)];
plain_char:
	goto plain;
sep:
	fields++;
	goto plain;
quoted:
	c = *p++;
	if (c == 0)
		goto end;
	if (c == '"') {
		if (*p == '"') {
			p++;
			goto quoted;
		}
		goto plain;
	}
	goto quoted;
end:
	return fields;
}
