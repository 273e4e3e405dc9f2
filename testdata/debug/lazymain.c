// The main object of the lazy debugger test (e2e/debug_test.go, TestGDBLazy): prog.c,
// compiled with -Dmain=prog_main, is linked with --lazy, its code on the first call.
int prog_main(int argc, char **argv);

int main(int argc, char **argv) {
	volatile int status = prog_main(argc, argv); // not a tail call: main stays on the stack
	return status;
}
