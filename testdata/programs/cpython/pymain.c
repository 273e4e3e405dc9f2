/* cpython workload: the stock CPython entry point, linked against the
 * static (non-PIC) libpython3.11.a. */
#include <Python.h>

int main(int argc, char **argv) { return Py_BytesMain(argc, argv); }
