// Replacement of the global allocation functions, in its own object.
#include <cstdio>
#include <cstdlib>
#include <new>

long news, deletes, array_news, aligned_news;
bool tracing;

void *operator new(std::size_t n)
{
	news++;
	if (void *p = std::malloc(n ? n : 1))
		return p;
	throw std::bad_alloc();
}
void *operator new[](std::size_t n)
{
	array_news++;
	return operator new(n);
}
void *operator new(std::size_t n, std::align_val_t al)
{
	aligned_news++;
	void *p = nullptr;
	if (posix_memalign(&p, (size_t)al, n ? n : 1))
		throw std::bad_alloc();
	return p;
}
void operator delete(void *p) noexcept
{
	if (p)
		deletes++;
	std::free(p);
}
void operator delete(void *p, std::size_t) noexcept { operator delete(p); }
void operator delete[](void *p) noexcept { operator delete(p); }
void operator delete[](void *p, std::size_t) noexcept { operator delete(p); }
void operator delete(void *p, std::align_val_t) noexcept { operator delete(p); }
void operator delete(void *p, std::size_t, std::align_val_t) noexcept { operator delete(p); }
