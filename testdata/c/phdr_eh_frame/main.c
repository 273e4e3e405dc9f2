// Finds functions' unwind entries the way phdr-walking unwinders (LLVM's libunwind) do:
// dl_iterate_phdr, the module's PT_GNU_EH_FRAME, a binary search of .eh_frame_hdr's table,
// then the FDE's own code range.
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int leaf_add(int a, int b);
long other_object_loop(long n);

static int __attribute__((noinline)) local_helper(int x) { return x * 3 + 1; }

struct query {
	uintptr_t pc;
	int in_module, have_hdr, sorted, found, covers;
};

static uint64_t read_enc(const uint8_t **pp, uint8_t enc, uintptr_t datarel) {
	const uint8_t *p = *pp;
	uintptr_t at = (uintptr_t)p;
	uint64_t v = 0;
	switch (enc & 0x0f) {
	case 0x00: case 0x04: case 0x0c: memcpy(&v, p, 8); p += 8; break;
	case 0x03: { uint32_t u; memcpy(&u, p, 4); v = u; p += 4; break; }
	case 0x0b: { int32_t s; memcpy(&s, p, 4); v = (uint64_t)(int64_t)s; p += 4; break; }
	default: return 0;
	}
	switch (enc & 0x70) {
	case 0x10: v += at; break;
	case 0x30: v += datarel; break;
	}
	*pp = p;
	return v;
}

static uint64_t uleb(const uint8_t **pp) {
	uint64_t v = 0; int shift = 0; const uint8_t *p = *pp;
	for (;;) { uint8_t c = *p++; v |= (uint64_t)(c & 0x7f) << shift; shift += 7; if (!(c & 0x80)) break; }
	*pp = p;
	return v;
}

// The FDE pointer encoding its CIE declares.
static uint8_t fde_encoding(const uint8_t *fde) {
	int32_t id; memcpy(&id, fde + 4, 4);
	const uint8_t *cie = fde + 4 - id;
	const uint8_t *p = cie + 8;
	uint8_t version = *p++;
	const char *aug = (const char *)p;
	p += strlen(aug) + 1;
	uleb(&p); uleb(&p);
	if (version == 1) p++; else uleb(&p);
	if (aug[0] != 'z') return 0;
	uleb(&p);
	for (const char *a = aug + 1; *a; a++) {
		if (*a == 'R') return *p;
		if (*a == 'L') p++;
		else if (*a == 'P') { uint8_t e = *p++; read_enc(&p, e & 0x7f, 0); }
	}
	return 0;
}

static int cb(struct dl_phdr_info *info, size_t size, void *arg) {
	(void)size;
	struct query *q = arg;
	const ElfW(Phdr) *eh = 0;
	int in = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD && q->pc >= info->dlpi_addr + ph->p_vaddr &&
		    q->pc < info->dlpi_addr + ph->p_vaddr + ph->p_memsz)
			in = 1;
		if (ph->p_type == PT_GNU_EH_FRAME)
			eh = ph;
	}
	if (!in)
		return 0;
	q->in_module = 1;
	if (!eh)
		return 1;
	const uint8_t *hdr = (const uint8_t *)(info->dlpi_addr + eh->p_vaddr);
	if (hdr[0] != 1 || hdr[3] != 0x3b)
		return 1;
	q->have_hdr = 1;
	const uint8_t *p = hdr + 4;
	read_enc(&p, hdr[1], (uintptr_t)hdr);
	uint64_t n = read_enc(&p, hdr[2], (uintptr_t)hdr);
	const int32_t *t = (const int32_t *)p;
	q->sorted = 1;
	for (uint64_t i = 1; i < n; i++)
		if (t[2 * i] < t[2 * (i - 1)])
			q->sorted = 0;
	// The last entry starting at or below pc.
	int64_t lo = 0, hi = (int64_t)n - 1, best = -1;
	while (lo <= hi) {
		int64_t mid = (lo + hi) / 2;
		if ((uintptr_t)hdr + t[2 * mid] <= q->pc) { best = mid; lo = mid + 1; } else hi = mid - 1;
	}
	if (best < 0)
		return 1;
	q->found = 1;
	const uint8_t *fde = hdr + t[2 * best + 1];
	uint8_t enc = fde_encoding(fde);
	const uint8_t *f = fde + 8;
	uint64_t start = read_enc(&f, enc, 0);
	uint64_t range = read_enc(&f, enc & 0x0f, 0);
	q->covers = q->pc >= start && q->pc < start + range;
	return 1;
}

static void check(const char *name, void *fn) {
	struct query q = {(uintptr_t)fn + 1, 0, 0, 0, 0, 0};
	dl_iterate_phdr(cb, &q);
	printf("%-18s module:%d eh_frame_hdr:%d sorted:%d fde:%d covers:%d\n", name, q.in_module,
	       q.have_hdr, q.sorted, q.found, q.covers);
}

int main(void) {
	printf("%d %d %ld\n", leaf_add(2, 3), local_helper(4), other_object_loop(10));
	check("main", (void *)main);
	check("leaf_add", (void *)leaf_add);
	check("other_object_loop", (void *)other_object_loop);
	check("local_helper", (void *)local_helper);
	check("check", (void *)check);
	return 0;
}
