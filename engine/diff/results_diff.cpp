// Two check outputs compared: entries paired by file, findings by rule and
// binding, and what differs counted by report and by rule.
#include <algorithm>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>

#include "engine/output/finding_identity.hpp"
#include "gouji/diff.hpp"

namespace gouji {

namespace {

// An item of either list, or of both when the two were paired.
struct Pairing {
    std::optional<std::size_t> before, after;
};

// The items of two lists paired by key, the n-th of a key on one side with the
// n-th on the other, in one order that keeps each list's own: the after list's,
// with each item only before placed ahead of the first paired item that followed
// it in the before list. (A rule's findings then stay together, the removed
// among the kept.)
template <class Key>
std::vector<Pairing> pair_by_key(const std::vector<Key>& before, const std::vector<Key>& after) {
    std::multimap<Key, std::size_t> waiting;  // equal keys keep their order
    for (std::size_t i = 0; i < before.size(); ++i) waiting.emplace(before[i], i);
    std::vector<bool> paired(before.size());
    std::vector<Pairing> in_after_order;
    in_after_order.reserve(after.size());
    for (std::size_t j = 0; j < after.size(); ++j) {
        auto it = waiting.lower_bound(after[j]);
        if (it == waiting.end() || it->first != after[j]) {
            in_after_order.push_back({std::nullopt, j});
            continue;
        }
        paired[it->second] = true;
        in_after_order.push_back({it->second, j});
        waiting.erase(it);
    }
    std::vector<Pairing> order;
    order.reserve(before.size() + after.size());
    std::size_t next = 0;  // the first item of the before list not placed or passed yet
    auto place_unpaired_before = [&](std::size_t end) {
        for (; next < end; ++next)
            if (!paired[next]) order.push_back({next, std::nullopt});
    };
    for (const Pairing& p : in_after_order) {
        if (p.before) place_unpaired_before(*p.before);
        order.push_back(p);
    }
    place_unpaired_before(before.size());
    return order;
}

// A finding's rule and binding, without the place that tells alike ones apart
// ("f=259 件@18:94"): a line added above them moves them, and they are paired
// in order instead.
std::vector<std::pair<std::string_view, std::string_view>> finding_keys(const std::vector<CheckedFinding>& findings) {
    std::vector<std::pair<std::string_view, std::string_view>> keys;
    keys.reserve(findings.size());
    for (const auto& f : findings) keys.emplace_back(f.rule, binding_identity(f.binding));
    return keys;
}

// A report, a folder and a --previous input may have one path (not in one check,
// but in two): each is paired only with its kind.
std::vector<std::tuple<bool, bool, std::string_view>> entry_keys(const CheckResults& results) {
    std::vector<std::tuple<bool, bool, std::string_view>> keys;
    keys.reserve(results.entries.size());
    for (const auto& e : results.entries) keys.emplace_back(e.previous_year, e.folder, e.file);
    return keys;
}

// A rule error is compared whole: its message names the bound it passed and
// the report's size.
std::vector<std::string> rule_error_keys(const nlohmann::ordered_json& errors) {
    std::vector<std::string> keys;
    for (const auto& e : errors) keys.push_back(e.dump());
    return keys;
}

std::vector<std::string> changed_fields(const CheckedFinding& before, const CheckedFinding& after) {
    std::vector<std::string> fields;
    if (before.severity != after.severity) fields.emplace_back("severity");
    if (before.assessable != after.assessable) fields.emplace_back("assessable");
    if (before.message != after.message) fields.emplace_back("message");
    return fields;
}

void diff_findings(EntryDiff& d) {
    const auto& before = d.before->findings;
    const auto& after = d.after->findings;
    using Kind = FindingDifference::Kind;
    for (const Pairing& p : pair_by_key(finding_keys(before), finding_keys(after))) {
        if (!p.after) {
            d.findings.push_back({.kind = Kind::Removed, .before = &before[*p.before], .after = nullptr, .fields = {}});
        } else if (!p.before) {
            d.findings.push_back({.kind = Kind::Added, .before = nullptr, .after = &after[*p.after], .fields = {}});
        } else if (auto fields = changed_fields(before[*p.before], after[*p.after]); !fields.empty()) {
            d.findings.push_back(
                {.kind = Kind::Changed, .before = &before[*p.before], .after = &after[*p.after], .fields = std::move(fields)});
        } else {
            ++d.unchanged;
        }
    }
}

void diff_rule_errors(EntryDiff& d) {
    const auto& before = d.before->rule_errors;
    const auto& after = d.after->rule_errors;
    for (const Pairing& p : pair_by_key(rule_error_keys(before), rule_error_keys(after))) {
        if (!p.after) d.rule_errors_removed.push_back(&before[*p.before]);
        else if (!p.before) d.rule_errors_added.push_back(&after[*p.after]);
    }
}

EntryDiff diff_entry(const CheckedEntry* before, const CheckedEntry* after) {
    EntryDiff d;
    d.before = before;
    d.after = after;
    if (!before || !after) return d;
    d.template_changed = before->template_id != after->template_id;
    d.error_changed = before->error != after->error;
    diff_rule_errors(d);
    diff_findings(d);
    return d;
}

std::string json_word(bool b) { return b ? "true" : "false"; }

void tally_change(RuleTally& tally, const FindingDifference& d) {
    ++tally.changed;
    for (const auto& field : d.fields) {
        if (field == "severity") ++tally.changes[{field, d.before->severity, d.after->severity}];
        else if (field == "assessable") ++tally.changes[{field, json_word(d.before->assessable), json_word(d.after->assessable)}];
        else ++tally.changes[{field, "", ""}];
    }
}

std::vector<RuleTally> tally_rules(const std::vector<EntryDiff>& reports) {
    std::map<std::string, RuleTally> by_rule;  // sorted by id
    for (const auto& report : reports)
        for (const auto& d : report.findings) {
            const std::string& rule = (d.after ? d.after : d.before)->rule;
            RuleTally& tally = by_rule[rule];
            tally.rule = rule;
            switch (d.kind) {
                case FindingDifference::Kind::Added: ++tally.added; break;
                case FindingDifference::Kind::Removed: ++tally.removed; break;
                case FindingDifference::Kind::Changed: tally_change(tally, d); break;
            }
        }
    std::vector<RuleTally> tallies;
    tallies.reserve(by_rule.size());
    for (auto& [rule, tally] : by_rule) tallies.push_back(std::move(tally));
    return tallies;
}

DiffSummary summary_of(const ResultsDiff& diff) {
    DiffSummary s;
    s.reports = diff.reports.size();
    for (const auto& r : diff.reports) {
        s.differing += r.differs();
        s.only_before += !r.after;
        s.only_after += !r.before;
        s.added += r.count(FindingDifference::Kind::Added);
        s.removed += r.count(FindingDifference::Kind::Removed);
        s.changed += r.count(FindingDifference::Kind::Changed);
        s.unchanged += r.unchanged;
    }
    s.other_entries = diff.other_entries.size();
    for (const auto& e : diff.other_entries) s.other_entries_differing += e.differs();
    return s;
}

}  // namespace

FindingsSummary summarize(const std::vector<CheckedFinding>& findings) {
    FindingsSummary s;
    for (const auto& f : findings) {
        if (!f.assessable) ++s.not_assessable;
        else if (f.severity == "error") ++s.errors;
        else if (f.severity == "warning") ++s.warnings;
        else ++s.infos;
    }
    return s;
}

std::string_view EntryDiff::status() const {
    if (!before) return "only_after";
    if (!after) return "only_before";
    return "both";
}

bool EntryDiff::differs() const {
    return !before || !after || !findings.empty() || template_changed || error_changed ||
           !rule_errors_removed.empty() || !rule_errors_added.empty();
}

std::size_t EntryDiff::count(FindingDifference::Kind kind) const {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(), [&](const FindingDifference& d) { return d.kind == kind; }));
}

ResultsDiff diff_results(const CheckResults& before, const CheckResults& after) {
    ResultsDiff diff;
    for (const Pairing& p : pair_by_key(entry_keys(before), entry_keys(after))) {
        EntryDiff d = diff_entry(p.before ? &before.entries[*p.before] : nullptr,
                                 p.after ? &after.entries[*p.after] : nullptr);
        (d.entry().is_report() ? diff.reports : diff.other_entries).push_back(std::move(d));
    }
    diff.rules = tally_rules(diff.reports);
    diff.summary = summary_of(diff);
    return diff;
}

}  // namespace gouji
