// The doctest main, alone in its TU so that it compiles once (about 13 s).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
