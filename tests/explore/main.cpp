// The explore tests' own main: they link the engines alone, not the fixtures of tests/support
// (which bring the model library).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
