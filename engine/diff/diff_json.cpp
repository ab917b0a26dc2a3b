// A diff as JSON: the contract of docs/diff.md. A field added, renamed or
// dropped here needs a CHANGELOG.md entry and a docs/diff.md update.
#include "gouji/diff.hpp"

namespace gouji {

namespace {

using json = nlohmann::ordered_json;

// The finding as its input wrote it (CheckedFinding::json keeps its key order).
json finding_json(const CheckedFinding& f) { return json::parse(f.json); }

json change_json(const json& before, const json& after) {
    json j;
    j["before"] = before;
    j["after"] = after;
    return j;
}

json changed_finding_json(const FindingDifference& d) {
    json j;
    j["rule"] = d.after->rule;
    j["binding"] = d.after->binding;
    j["fields"] = d.fields;
    j["before"] = finding_json(*d.before);
    j["after"] = finding_json(*d.after);
    return j;
}

void put_findings(json& j, const EntryDiff& d) {
    json added = json::array(), removed = json::array(), changed = json::array();
    for (const auto& f : d.findings) {
        switch (f.kind) {
            case FindingDifference::Kind::Added: added.push_back(finding_json(*f.after)); break;
            case FindingDifference::Kind::Removed: removed.push_back(finding_json(*f.before)); break;
            case FindingDifference::Kind::Changed: changed.push_back(changed_finding_json(f)); break;
        }
    }
    j["added"] = std::move(added);
    j["removed"] = std::move(removed);
    j["changed"] = std::move(changed);
    j["unchanged"] = d.unchanged;
}

void put_changes(json& j, const EntryDiff& d) {
    if (d.template_changed) j["template"] = change_json(d.before->template_id, d.after->template_id);
    if (d.error_changed) j["error"] = change_json(d.before->error, d.after->error);
    if (!d.rule_errors_added.empty() || !d.rule_errors_removed.empty())
        j["rule_errors"] = change_json(d.before->rule_errors, d.after->rule_errors);
}

// An entry of one input: its template, error and rule errors, when it has them, in the
// shape of a change from (or to) the input that lacks it: an unreadable report
// new in the after input is not read as a clean one with no findings.
void put_one_side(json& j, const EntryDiff& d) {
    const CheckedEntry& e = d.entry();
    auto one_side = [&](const json& value) { return d.before ? change_json(value, nullptr) : change_json(nullptr, value); };
    if (!e.template_id.is_null()) j["template"] = one_side(e.template_id);
    if (!e.error.is_null()) j["error"] = one_side(e.error);
    if (!e.rule_errors.empty())
        j["rule_errors"] = d.before ? change_json(e.rule_errors, json::array()) : change_json(json::array(), e.rule_errors);
}

}  // namespace

json entry_diff_to_json(const EntryDiff& d) {
    const CheckedEntry& e = d.entry();
    json j;
    j["file"] = e.file;
    if (e.folder) j["folder"] = true;
    if (e.previous_year) j["previous_year"] = true;
    j["status"] = std::string(d.status());
    put_findings(j, d);
    if (d.before && d.after) {
        put_changes(j, d);
    } else {
        j["findings"] = e.findings.size();
        j["summary"] = summary_to_json(summarize(e.findings));
        put_one_side(j, d);
    }
    return j;
}

json rules_to_json(const std::vector<RuleTally>& rules) {
    json list = json::array();
    for (const auto& r : rules)
        list.push_back({{"rule", r.rule}, {"added", r.added}, {"removed", r.removed}, {"changed", r.changed}});
    return list;
}

json diff_summary_to_json(const DiffSummary& s) {
    return {{"reports", s.reports},
            {"differing", s.differing},
            {"added", s.added},
            {"removed", s.removed},
            {"changed", s.changed},
            {"unchanged", s.unchanged},
            {"only_before", s.only_before},
            {"only_after", s.only_after},
            {"other_entries", s.other_entries},
            {"other_entries_differing", s.other_entries_differing}};
}

}  // namespace gouji
