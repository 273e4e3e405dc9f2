#include <stdio.h>
#include <string.h>

static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char months[][10] = {"January", "February", "March", "April"};
const char *suffixes[] = {"abcdef" + 3, "xyz" + 1, "" "joined" "literal"};
struct color { const char *name; unsigned rgb; const char *alias; };
extern const struct color colors[];
extern const int ncolors;
const char *lookup_error(int code);

int main(void)
{
	for (int i = 0; i < 7; i++)
		printf("%s%s", days[i], i < 6 ? " " : "\n");
	for (int i = 0; i < 4; i++)
		printf("%s(%zu) ", months[i], strlen(months[i]));
	printf("\n%s %s %s\n", suffixes[0], suffixes[1], suffixes[2]);
	for (int i = 0; i < ncolors; i++)
		printf("%-8s #%06x %s\n", colors[i].name, colors[i].rgb, colors[i].alias ? colors[i].alias : "-");
	for (int c = -1; c < 5; c++)
		printf("err %d: %s\n", c, lookup_error(c));
	return 0;
}
