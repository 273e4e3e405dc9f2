/* Archive members for TestInputPagesReleasedAfterRegistration: a few symbols whose names
   the debugger registration reads (strtab) after the link. */
int release_square(int x) { return x * x; }
int release_cube(int x) { return x * x * x; }
const char *release_name(void) { return "release"; }
