/* Cannot load: it needs a function nobody defines. */
int missing_fn(void);
int bad_fn(void) { return missing_fn(); }
