#include "say.h"

static void o_preinit(void) { say("other: .preinit_array"); }
static void o_init(void) { say("other: .init_array"); }
static void o_init_b(void) { say("other: .init_array (second entry)"); }
static void o_init200(void) { say("other: .init_array.00200"); }
static void o_fini(void) { say("other: .fini_array"); }
static void o_ctor(void) { say("other: .ctors"); }
static void o_ctor_b(void) { say("other: .ctors (second entry)"); }
static void o_ctor200(void) { say("other: .ctors.00200"); }
static void o_dtor(void) { say("other: .dtors"); }

ENTRY(".preinit_array", o_preinit);
ENTRY(".init_array", o_init);
ENTRY(".init_array", o_init_b);
ENTRY(".init_array.00200", o_init200);
ENTRY(".fini_array", o_fini);
ENTRY(".ctors", o_ctor);
ENTRY(".ctors", o_ctor_b);
ENTRY(".ctors.00200", o_ctor200);
ENTRY(".dtors", o_dtor);
