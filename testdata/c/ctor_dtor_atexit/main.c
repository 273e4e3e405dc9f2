#include <stdio.h>
#include <stdlib.h>

int third_value(void);

static void at1(void) { puts("atexit 1 (registered first, runs last of atexit)"); }
static void at2(void) { puts("atexit 2"); }
static void at3(void) { puts("atexit 3 (registered last, runs first)"); }

__attribute__((constructor(101))) static void main_ctor101(void) { puts("main: constructor(101)"); }
__attribute__((constructor(200))) static void main_ctor200(void) { puts("main: constructor(200)"); }
__attribute__((constructor)) static void main_ctor(void) { puts("main: constructor (default)"); }
__attribute__((destructor(101))) static void main_dtor101(void) { puts("main: destructor(101)"); }
__attribute__((destructor(200))) static void main_dtor200(void) { puts("main: destructor(200)"); }
__attribute__((destructor)) static void main_dtor(void) { puts("main: destructor (default)"); }

int main(void)
{
	puts("main: start");
	atexit(at1);
	atexit(at2);
	atexit(at3);
	printf("main: third_value=%d\n", third_value());
	puts("main: return");
	return 0;
}
