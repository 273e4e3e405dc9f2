#include <stdint.h>
struct obj_report {
	const char *name;
	int ok;        /* initial values as expected */
	int aligned;   /* every variable at its alignment */
	uintptr_t mis; /* OR of the misalignments */
};
void check_a(struct obj_report *r);
void check_b(struct obj_report *r);
void check_c(struct obj_report *r);
void check_d(struct obj_report *r);
void scribble_all(int v);
