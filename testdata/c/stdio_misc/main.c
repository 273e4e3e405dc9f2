#include <stdio.h>
#include <string.h>

void emit_table(FILE *f);

int main(void)
{
	char line[16];
	int n = 0;
	while (fgets(line, sizeof line, stdin)) {
		size_t len = strlen(line);
		int full = len > 0 && line[len - 1] == '\n';
		printf("chunk %d (%zu bytes%s): ", n++, len, full ? ", newline" : "");
		fputs(line, stdout);
		if (!full)
			fputc('\n', stdout);
	}
	char small[8];
	int r = snprintf(small, sizeof small, "%s-%d", "truncate", 12345);
	printf("snprintf returned %d, buffer=[%s]\n", r, small);
	char big[64];
	r = sprintf(big, "%05d|%5.1f|%-6s|", 42, 3.14159, "ab");
	printf("sprintf returned %d, buffer=[%s]\n", r, big);
	static const char blob[] = {'b', 'i', 'n', 0, 'a', 'r', 'y', '\n'};
	size_t w = fwrite(blob, 1, sizeof blob, stdout);
	printf("fwrite wrote %zu\n", w);
	emit_table(stdout);
	emit_table(stderr);
	char *mem;
	size_t memlen;
	FILE *ms = open_memstream(&mem, &memlen);
	fprintf(ms, "memstream %d %s", 7, "ok");
	fclose(ms);
	printf("%s (%zu)\n", mem, memlen);
	char fbuf[32] = "10 20 30";
	FILE *fm = fmemopen(fbuf, strlen(fbuf), "r");
	int a, b, c;
	fscanf(fm, "%d %d %d", &a, &b, &c);
	fclose(fm);
	printf("fmemopen sum=%d\n", a + b + c);
	return 0;
}
