// A problem in a rule pack or a template file, at its place in the YAML file:
// what the compile errors of packs and the load errors of templates are shown as.
#pragma once

#include <string>
#include <vector>

#include "gouji/source.hpp"

namespace gouji {

// One problem found while compiling rule packs or loading template files.
struct RuleDiagnostic {
    std::string file;
    SourcePos pos;            // line and column (characters) in `file`; line 0 = the file as a whole
    std::string message;      // includes the hint: "unknown column '商业企业s' in 表三 (did you mean '商业企业'?)"
    std::string source_line;  // the line of `file` at pos.line, without its terminator

    // "file:line:col: error: message", the source line, and a caret under the
    // column (wide CJK characters count two), each line ending in '\n'.
    std::string render() const;
};

// All diagnostics rendered, in order.
std::string render(const std::vector<RuleDiagnostic>& diagnostics);

}  // namespace gouji
