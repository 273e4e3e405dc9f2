// Self-registering plugins in archive members (pulled by an anchor reference), with
// vtables and typeinfo in the members, called through a registry in another object.
#include "registry.h"
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <typeinfo>

extern int anchor_Double, anchor_Negate, anchor_Square;
int *anchors[] = {&anchor_Double, &anchor_Negate, &anchor_Square};

int main()
{
	int n = 0;
	for (Entry *e = registry(); e; e = e->next)
		n++;
	std::printf("%d plugins\n", n);
	for (Entry *e = registry(); e; e = e->next) {
		std::unique_ptr<Plugin> p(e->make());
		std::printf("%-7s name()=%-7s apply(7)=%ld dynamic type is anonymous: %d\n", e->key, p->name(),
		            p->apply(7), typeid(*p).name()[0] == 'N');
	}
	long x = 3;
	for (const char *k : {"square", "double", "negate", "square"}) {
		std::unique_ptr<Plugin> p(lookup(k)());
		x = p->apply(x);
	}
	std::printf("chain = %ld, anchors %d %d %d, unused present: %d\n", x, *anchors[0], *anchors[1], *anchors[2],
	            lookup("unused") != nullptr);
	return 0;
}
