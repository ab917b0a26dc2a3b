// What identifies a finding within its report, across runs (docs/findings.md):
// its rule and its binding without the place that tells alike findings apart.
#pragma once

#include <string_view>

namespace gouji {

// `binding` without the "@line:column" (or "@page P:line:column"), and the
// "#n" after it, that the evaluation appends when two findings of a rule would
// read alike ("f=259 件@18:94" → "f=259 件"). The place moves when a line is
// added above it: a diff pairs such findings, a SARIF fingerprint and a JUnit
// test name count them, in order instead. A binding with no such end is itself.
std::string_view binding_identity(std::string_view binding);

}  // namespace gouji
