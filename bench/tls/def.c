/* The initial-exec variant's definition, in another object. */
__thread volatile long counter;
