#define NTHREADS 4
struct range {
	long lo, hi;
	int id;
};
void *sum_range(void *);
void *producer(void *);
void *consumer(void *);
extern long shared_counter;
