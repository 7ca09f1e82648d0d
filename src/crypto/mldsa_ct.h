// Hooks for the valgrind constant-time check (tests/ct): declassify() marks a value that FIPS 204
// allows to leak (a rejection-loop decision, or the accepted public signature) as defined.
// Compiles to nothing unless HBP2P_CT_VALGRIND is defined.
#pragma once

#include <cstddef>

#ifdef HBP2P_CT_VALGRIND
#include <valgrind/memcheck.h>
#define HBP2P_DECLASSIFY(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#else
#define HBP2P_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif
