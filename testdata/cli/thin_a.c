int thin_a(void) { return 7; }
