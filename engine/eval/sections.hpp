// Finding a report's section by a name written in a rule.
#pragma once

#include <string>

#include "engine/eval/context.hpp"

namespace gouji::eval {

// The section `name` designates: through the report's template (section id,
// label or alias -> the section the model matched to it), else by its title
// (equal, then containing the name, normalized). Null section when none; the
// lookup is recorded as a used value either way.
SectionRef find_section(Context& ctx, const std::string& name);

}  // namespace gouji::eval
