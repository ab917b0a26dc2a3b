// The findings as JSON: the contract of docs/findings.md. A field added, renamed
// or dropped here needs a CHANGELOG.md entry and a docs/findings.md update.
#include <cmath>

#include "gouji/check.hpp"
#include "gouji/explain.hpp"

namespace gouji {

using json = nlohmann::ordered_json;

namespace {

// Whole numbers as JSON integers, so counts read as counts.
json number_json(double n) {
    if (std::isfinite(n) && n == std::floor(n) && std::fabs(n) < 9e15) return static_cast<long long>(n);
    return n;
}

void put_pos(json& j, const SourcePos& pos) {
    j["line"] = pos.line;
    j["column"] = pos.column;
    if (pos.page) j["page"] = pos.page;
}

void put_table_cell(json& j, const std::string& table, const std::string& row, const std::string& column) {
    if (table.empty()) return;
    j["table"] = table;
    j["row"] = row;
    j["column_label"] = column;
}

json location_to_json(const FindingLocation& loc) {
    json j;
    j["file"] = loc.file;
    put_pos(j, loc.pos);
    j["section"] = loc.section;
    put_table_cell(j, loc.table, loc.row, loc.column);
    return j;
}

json cell_to_json(const CellRef& c) {
    json j;
    j["path"] = c.path;
    put_table_cell(j, c.table, c.row, c.column);
    j["value"] = value_to_json(c.value);
    j["text"] = c.text;
    put_pos(j, c.pos);
    if (!c.file.empty()) j["file"] = c.file;
    if (c.coefficient) j["coefficient"] = number_json(*c.coefficient);
    return j;
}

json suggestion_to_json(const Suggestion& s) {
    json j;
    j["table"] = s.table;
    j["row"] = s.row;
    j["column"] = s.column;
    j["current"] = number_json(s.current);
    j["value"] = number_json(s.value);
    j["decimals"] = s.decimals;
    j["fixes"] = s.fixes;
    return j;
}

json finding_to_json(const Finding& f) {
    json j;
    j["rule"] = f.rule;
    j["severity"] = std::string(to_string(f.severity));
    j["kind"] = std::string(to_string(f.kind));
    j["assessable"] = f.assessable;
    j["message"] = f.message;
    j["location"] = location_to_json(f.location);
    json cells = json::array();
    for (const auto& c : f.cells) cells.push_back(cell_to_json(c));
    j["cells"] = std::move(cells);
    if (f.difference) j["difference"] = number_json(*f.difference);
    if (f.suggestion) j["suggestion"] = suggestion_to_json(*f.suggestion);
    j["basis"] = f.basis;
    j["pack"] = f.pack;
    j["binding"] = f.binding;
    j["title"] = f.title;
    j["tags"] = f.tags;
    j["severity_from"] = f.severity_from.empty() ? json() : json(f.severity_from);
    return j;
}

json error_to_json(const InputError& e) {
    json j;
    j["message"] = e.what();
    if (!e.hint().empty()) j["hint"] = e.hint();
    put_pos(j, e.pos());
    j["text"] = e.describe();
    return j;
}

}  // namespace

json summary_to_json(const FindingsSummary& s) {
    return {{"errors", s.errors}, {"warnings", s.warnings}, {"infos", s.infos}, {"not_assessable", s.not_assessable}};
}

json report_to_json(const ReportFindings& report) {
    json j;
    j["file"] = report.file;
    if (report.folder) j["folder"] = true;
    if (report.previous_year) j["previous_year"] = true;
    j["template"] = report.template_id.empty() ? json() : json(report.template_id);
    if (!report.previous.empty()) j["previous"] = report.previous;
    if (!report.reader_warnings.empty()) j["reader_warnings"] = report.reader_warnings;
    if (report.error) j["error"] = error_to_json(*report.error);
    if (!report.rule_errors.empty()) {
        json errors = json::array();
        for (const auto& e : report.rule_errors) {
            json one = error_to_json(e);
            one["file"] = e.file();  // the rule's pack, not the report
            if (!e.rule().empty()) one["rule"] = e.rule();
            errors.push_back(std::move(one));
        }
        j["rule_errors"] = std::move(errors);
    }
    json findings = json::array();
    for (const auto& f : report.findings) findings.push_back(finding_to_json(f));
    j["findings"] = std::move(findings);
    j["summary"] = summary_to_json(summarize(report.findings));
    return j;
}

json findings_to_json(const std::vector<ReportFindings>& reports) {
    json list = json::array();
    for (const auto& r : reports) list.push_back(report_to_json(r));
    json j;
    j["reports"] = std::move(list);
    return j;
}

}  // namespace gouji
