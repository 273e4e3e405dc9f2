const char *a_greeting(void) { return "Hello, merged world!"; }
const char *a_suffix(void) { return "world!"; } /* tail of the literal above */
