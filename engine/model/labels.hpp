// Label matching shared by the model stages: how well a label written in a
// document names a template's row, column or section.
#pragma once

#include <cstdint>
#include <string>

#include "gouji/template_schema.hpp"

namespace gouji {

// `doc_label` must already be normalize_label()ed. 0 none, 2 one contains the
// other, 3 one starts with the other, 4 the same. Labels longer than 60
// characters are prose and never match.
int label_score(const std::string& doc_label, const NamedLabel& label);
// The same with the label's char_signature() already known (the hot path).
int label_score(const std::string& doc_label, std::uint64_t doc_signature, const NamedLabel& label);

// False when label_score(doc_label, label) is certainly below 3: a score of 3 or
// 4 needs one name to be a prefix of the other, so both start with the same byte.
// A cheap test to run before label_score where only 3 and 4 count.
bool may_score_3(const std::string& doc_label, const NamedLabel& label);

// True when the label names a row, row group or column of one of the template's
// tables well (score >= 3): such a line is a table label, not a heading.
bool is_table_label(const std::string& doc_label, const TemplateSchema& schema);

}  // namespace gouji
