#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void show_tm(const char *what, const struct tm *tm);

int main(void)
{
	tzset();
	printf("TZ=%s tzname=[%s,%s] timezone=%ld daylight=%d\n", getenv("TZ"), tzname[0], tzname[1], timezone, daylight);
	time_t t = 1700000000;
	struct tm g, l;
	gmtime_r(&t, &g);
	localtime_r(&t, &l);
	show_tm("gmtime", &g);
	show_tm("localtime", &l);
	printf("mktime roundtrip: %lld\n", (long long)mktime(&l));
	char buf[100];
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z %z %A %j", &l);
	printf("strftime: %s\n", buf);
	printf("asctime: %s", asctime(&g));
	setenv("TZ", "EST5EDT", 1);
	tzset();
	printf("after TZ=EST5EDT: tzname=[%s,%s] timezone=%ld daylight=%d\n", tzname[0], tzname[1], timezone, daylight);
	localtime_r(&t, &l);
	show_tm("EST5EDT localtime", &l);
	return 0;
}
