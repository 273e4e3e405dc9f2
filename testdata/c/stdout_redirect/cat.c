#include <stdio.h>

void cat_file(const char *path, FILE *to)
{
	FILE *f = fopen(path, "r");
	char line[256];
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return;
	}
	while (fgets(line, sizeof line, f))
		fprintf(to, "  | %s", line);
	fclose(f);
}
