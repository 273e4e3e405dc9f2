/* Every TLS model, from the main thread and from threads created before and after the
 * main thread first touches its TLS; each thread checks its own initialised copy and
 * that addresses agree between objects. */
#include "tls.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

__thread int m_gd GD = 10;
__thread int m_ie IE = 20;
__thread int m_le LE = 30;
__thread int m_plain = 40;
static __thread int m_ld1 LD = 50;
static __thread int m_ld2 LD;
static __thread int m_static = 60; /* LE in executables, LD with -fPIC */
static __thread double m_dbl = 2.5;

long main_statics_sum(void) { return m_ld1 + m_ld2 + m_static + (long)(m_dbl * 10); }

static pthread_barrier_t start, ready;

struct report {
	int id;
	int fresh;      /* saw the initial values */
	int addr_agree; /* &var in main.c == other.c's idea of it */
	long before, after;
	void *addr;
};

static int check_fresh(void)
{
	return m_gd == 10 && m_ie == 20 && m_le == 30 && m_plain == 40 && main_statics_sum() == 50 + 0 + 60 + 25 &&
	       o_plain == 1001 && o_bss == 0 && strcmp(o_name, "other.c") == 0 && o_gd == 2002 && o_ie == 3003;
}

static int check_addrs(void)
{
	return other_addr(0) == (void *)&o_plain && other_addr(1) == (void *)&o_bss && other_addr(2) == (void *)o_name &&
	       other_addr(3) == (void *)&o_gd && other_addr(4) == (void *)&o_ie;
}

static void work(struct report *r)
{
	r->fresh = check_fresh();
	r->addr_agree = check_addrs();
	r->addr = &m_plain;
	r->before = other_sum();
	for (int i = 0; i < 1000; i++) {
		m_gd++, m_ie++, m_le++, m_plain++, m_ld1++, m_ld2++, m_static++;
		m_dbl += 0.5;
	}
	r->after = other_bump(r->id + 1) + m_gd + m_ie + m_le + m_plain + main_statics_sum();
}

static void *early(void *arg)
{
	struct report *r = arg;
	pthread_barrier_wait(&start); /* created before main touched TLS; runs after */
	work(r);
	pthread_barrier_wait(&ready);
	return NULL;
}

static void *late(void *arg)
{
	work(arg);
	return NULL;
}

int main(void)
{
	enum { N = 6 };
	pthread_t t[N];
	struct report r[N + 1];
	memset(r, 0, sizeof r);
	pthread_barrier_init(&start, NULL, 3);
	pthread_barrier_init(&ready, NULL, 3);
	for (int i = 0; i < 2; i++) {
		r[i].id = i;
		pthread_create(&t[i], NULL, early, &r[i]);
	}
	r[N].id = N;
	work(&r[N]); /* main thread first */
	pthread_barrier_wait(&start);
	pthread_barrier_wait(&ready);
	for (int i = 2; i < N; i++) {
		r[i].id = i;
		pthread_create(&t[i], NULL, late, &r[i]);
	}
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i <= N; i++) {
		int distinct = 1;
		for (int j = 0; j < i; j++)
			distinct &= r[j].addr != r[i].addr;
		printf("%s %d: fresh %d addrs agree %d distinct %d sums %ld -> %ld\n", i == N ? "main  " : "thread", r[i].id,
		       r[i].fresh, r[i].addr_agree, distinct, r[i].before, r[i].after);
	}
	printf("main after threads: m_gd %d m_ie %d m_le %d m_plain %d statics %ld other %ld name %s\n", m_gd, m_ie,
	       m_le, m_plain, main_statics_sum(), other_sum(), o_name);
	return 0;
}
