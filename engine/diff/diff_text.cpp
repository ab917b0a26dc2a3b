// A diff for a person at a terminal: a block per entry that differs, headed as
// gouji check heads a report, a line per difference, then a tally by rule and
// one closing line of counts.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/output/finding_words.hpp"
#include "gouji/diff.hpp"
#include "gouji/source.hpp"
#include "gouji/text.hpp"

namespace gouji {

namespace {

using json = nlohmann::ordered_json;

// As gouji check's head lines: a binding quoting a whole list sentence would run
// a line to 600 characters; its start tells a rule's findings apart.
constexpr std::size_t kMaxHeadBindingChars = 60;

// A message or binding may span lines, and hold an escape that would recolour the
// terminal; a difference is one line.
std::string one_line(std::string_view text) {
    std::string s = printable(text);
    std::replace(s.begin(), s.end(), '\n', ' ');
    return s;
}


std::string label(const CheckedFinding& f) {
    return one_line(f.binding.empty() ? f.rule : f.rule + "[" + shortened(f.binding, kMaxHeadBindingChars) + "]");
}

// "error[T3-BALANCE[c=商业企业]] 表三「商业企业」列：…", as gouji check's head line after its place.
std::string finding_head(const CheckedFinding& f) {
    return one_line(f.severity) + "[" + label(f) + "] " + one_line(f.message);
}

std::string quoted_change(std::string_view from, std::string_view to) {
    return "«" + one_line(from) + "» → «" + one_line(to) + "»";
}

std::string change_line(const FindingDifference& d) {
    std::string said;
    for (const auto& field : d.fields) {
        said += said.empty() ? "" : "; ";
        if (field == "severity") said += "severity " + one_line(d.before->severity) + " → " + one_line(d.after->severity);
        else if (field == "assessable")
            said += std::string("assessable ") + (d.before->assessable ? "true" : "false") + " → " +
                    (d.after->assessable ? "true" : "false");
        else said += "message: " + quoted_change(d.before->message, d.after->message);
    }
    return "~ " + label(*d.after) + ": " + said + "\n";
}

std::string finding_line(const FindingDifference& d) {
    switch (d.kind) {
        case FindingDifference::Kind::Added: return "+ " + finding_head(*d.after) + "\n";
        case FindingDifference::Kind::Removed: return "- " + finding_head(*d.before) + "\n";
        case FindingDifference::Kind::Changed: return change_line(d);
    }
    return {};
}

// A template as gouji check's header names it: null is a report no template fits.
std::string template_words(const json& t) {
    if (t.is_null()) return "unknown";
    return one_line(t.is_string() ? t.get<std::string>() : t.dump());
}

// An error or rule error as gouji check said it on stderr (its `text`).
std::string error_words(const json& e) {
    const auto text = e.is_object() ? e.find("text") : e.end();
    return one_line(text != e.end() && text->is_string() ? text->get<std::string>() : e.dump());
}

std::string header(const EntryDiff& d) {
    const CheckedEntry& e = d.entry();
    std::string what = e.previous_year ? (e.folder ? "--previous folder" : "--previous input")
                       : e.folder      ? "folder"
                                       : "template " + template_words(e.template_id);
    return "── " + one_line(e.file) + " (" + what + ")";
}

std::string counts_words(const std::vector<CheckedFinding>& findings) {
    if (findings.empty()) return "0 findings";
    const FindingsSummary s = summarize(findings);
    return fmt::format("{} ({}, {}, {}, {} not assessable)", plural(findings.size(), "finding"), plural(s.errors, "error"),
                       plural(s.warnings, "warning"), plural(s.infos, "info"), s.not_assessable);
}

// An entry one input has: what it was there, in one line.
std::string only_in_text(const EntryDiff& d, const DiffNames& names) {
    const CheckedEntry& e = d.entry();
    const std::string& name = d.before ? names.before : names.after;
    const std::string what = e.error.is_null() ? counts_words(e.findings) : error_words(e.error);
    return header(d) + ": only in " + one_line(name) + ", " + what + "\n\n";
}

std::string error_lines(const EntryDiff& d) {
    if (!d.error_changed) return {};
    const json& before = d.before->error;
    const json& after = d.after->error;
    if (before.is_null()) return "+ " + error_words(after) + "\n";
    if (after.is_null()) return "- " + error_words(before) + "\n";
    return "~ error: «" + error_words(before) + "» → «" + error_words(after) + "»\n";
}

std::string both_text(const EntryDiff& d) {
    std::string out = header(d) + "\n";
    if (d.template_changed)
        out += "~ template: " + template_words(d.before->template_id) + " → " + template_words(d.after->template_id) + "\n";
    out += error_lines(d);
    for (const json* e : d.rule_errors_removed) out += "- " + error_words(*e) + "\n";
    for (const json* e : d.rule_errors_added) out += "+ " + error_words(*e) + "\n";
    for (const auto& f : d.findings) out += finding_line(f);
    using Kind = FindingDifference::Kind;
    return out + fmt::format("   {} added, {} removed, {} changed, {} unchanged\n\n", d.count(Kind::Added),
                             d.count(Kind::Removed), d.count(Kind::Changed), d.unchanged);
}

// "(severity error → warning)", each kind of change with how many findings it
// was of when not all the rule's changed ones.
std::string changes_words(const RuleTally& tally) {
    std::string said;
    for (const auto& [change, n] : tally.changes) {
        said += said.empty() ? "" : ", ";
        said += change.field == "message" ? "message" : change.field + " " + one_line(change.from) + " → " + one_line(change.to);
        if (n < tally.changed) said += " ×" + std::to_string(n);
    }
    return " (" + said + ")";
}

std::string rule_line(const RuleTally& tally) {
    std::vector<std::string> parts;
    if (tally.added) parts.push_back(std::to_string(tally.added) + " added");
    if (tally.removed) parts.push_back(std::to_string(tally.removed) + " removed");
    if (tally.changed) parts.push_back(std::to_string(tally.changed) + " changed" + changes_words(tally));
    std::string line = "  " + one_line(tally.rule) + ":";
    for (std::size_t i = 0; i < parts.size(); ++i) line += (i ? ", " : " ") + parts[i];
    return line + "\n";
}

// What the closing line's counts leave out, each part only when it applies.
std::string left_out_words(const ResultsDiff& diff, const DiffNames& names) {
    const DiffSummary& s = diff.summary;
    std::vector<std::string> parts;
    if (s.only_before) parts.push_back(plural(s.only_before, "report") + " only in " + one_line(names.before));
    if (s.only_after) parts.push_back(plural(s.only_after, "report") + " only in " + one_line(names.after));
    const auto otherwise = std::count_if(diff.reports.begin(), diff.reports.end(), [](const EntryDiff& d) {
        return d.before && d.after &&
               (d.template_changed || d.error_changed || !d.rule_errors_added.empty() || !d.rule_errors_removed.empty());
    });
    if (otherwise)
        parts.push_back(fmt::format("the template, error or rule errors of {} changed",
                                    plural(static_cast<std::size_t>(otherwise), "report")));
    if (const std::size_t n = s.other_entries_differing)
        parts.push_back(n == 1 ? "1 folder or --previous entry differs"
                               : std::to_string(n) + " folder or --previous entries differ");
    std::string said;
    for (const auto& p : parts) said += (said.empty() ? " (" : "; ") + p;
    return said.empty() ? said : said + ")";
}

}  // namespace

std::string entry_diff_text(const EntryDiff& entry, const DiffNames& names) {
    if (!entry.differs()) return {};
    return entry.before && entry.after ? both_text(entry) : only_in_text(entry, names);
}

std::string diff_closing_text(const ResultsDiff& diff, const DiffNames& names) {
    std::string out;
    if (!diff.rules.empty()) out += "by rule:\n";
    for (const auto& tally : diff.rules) out += rule_line(tally);
    const DiffSummary& s = diff.summary;
    return out + fmt::format("compared {}: {} added, {} removed, {} changed, {} unchanged{}\n", plural(s.reports, "report"),
                             plural(s.added, "finding"), s.removed, s.changed, s.unchanged, left_out_words(diff, names));
}

}  // namespace gouji
