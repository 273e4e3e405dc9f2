/* Used by Example in example_test.go; rebuild with gen.sh. */
int square(int x) { return x * x; }
