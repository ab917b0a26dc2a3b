// Finding a report's section by a name written in a rule.
#pragma once

#include <string>
#include <string_view>

#include "engine/eval/context.hpp"

namespace gouji::eval {

// The section `name` designates: through the report's template (section id,
// label or alias -> the section the model matched to it), else by its title
// (equal, then containing the name, normalized). Null section when none; the
// lookup is recorded as a used value either way.
SectionRef find_section(Context& ctx, const std::string& name);

// Where `match`, found at byte `offset` of `text`, was written, when `text` is
// (a part of) a section's text in `model` (Section::text, which joins the
// section's blocks): the k-th place its blocks hold those words for the k-th
// occurrence in the text. Unknown for any other text, and for words the blocks
// do not hold as one (across a line of a table, say).
SourcePos position_in_section_text(const ReportModel& model, std::string_view text, std::size_t offset,
                                   std::string_view match);

}  // namespace gouji::eval
