int other_global = 77;
int other_array[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
const char other_text[] = "text in other.o";
int other_fn(int x) { return x * 3; }
static int hidden = 5;
int *hidden_ptr(void) { return &hidden; }
/* An initialised TLS pointer defined here, to a static of this object. */
__thread int *tls_to_hidden = &hidden;
