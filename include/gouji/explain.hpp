// `gouji explain`: the report model shown to a rule author, as text or JSON.
// The JSON form is a contract documented in docs/explain-json.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "gouji/report_model.hpp"

namespace gouji {

nlohmann::ordered_json model_to_json(const ReportModel& model);
std::string explain_text(const ReportModel& model);

// Shared with the findings outputs. value_to_json writes `number` as a float always
// (docs/findings.md); the explain JSON writes a number written without decimals as an integer.
nlohmann::ordered_json value_to_json(const Value& v);
nlohmann::ordered_json pos_to_json(const SourcePos& pos);

}  // namespace gouji
