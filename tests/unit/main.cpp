#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "engine/eval/fast.hpp"

// Every test that evaluates rules also checks the silent pass's compiled plans
// against the general evaluator: a plan that decides a check differently throws.
int main(int argc, char** argv) {
    gouji::eval::fast::set_verification(true);
    doctest::Context context(argc, argv);
    return context.run();
}
