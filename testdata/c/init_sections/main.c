#include <stdlib.h>
#include "say.h"

static void m_preinit(void) { say("main: .preinit_array"); }
static void m_init(void) { say("main: .init_array"); }
static void m_init100(void) { say("main: .init_array.00100"); }
static void m_fini(void) { say("main: .fini_array"); }
static void m_fini100(void) { say("main: .fini_array.00100"); }
static void m_ctor(void) { say("main: .ctors"); }
static void m_ctor100(void) { say("main: .ctors.00100"); }
static void m_dtor(void) { say("main: .dtors"); }
static void m_dtor100(void) { say("main: .dtors.00100"); }
static void m_atexit(void) { say("main: atexit"); }

ENTRY(".preinit_array", m_preinit);
ENTRY(".init_array", m_init);
ENTRY(".init_array.00100", m_init100);
ENTRY(".fini_array", m_fini);
ENTRY(".fini_array.00100", m_fini100);
ENTRY(".ctors", m_ctor);
ENTRY(".ctors.00100", m_ctor100);
ENTRY(".dtors", m_dtor);
ENTRY(".dtors.00100", m_dtor100);

__attribute__((constructor(300))) static void m_attr300(void) { say("main: constructor(300)"); }

int main(void)
{
	say("main: main()");
	atexit(m_atexit);
	return 0;
}
