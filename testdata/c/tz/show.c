#include <stdio.h>
#include <time.h>
void show_tm(const char *what, const struct tm *tm)
{
	printf("%-18s %04d-%02d-%02d %02d:%02d:%02d wday=%d yday=%d isdst=%d gmtoff=%ld zone=%s\n", what, tm->tm_year + 1900,
	       tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec, tm->tm_wday, tm->tm_yday, tm->tm_isdst,
	       tm->tm_gmtoff, tm->tm_zone);
}
