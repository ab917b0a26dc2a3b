// One report through the audit: model, evaluate, count.
#include <algorithm>
#include <filesystem>
#include <optional>

#include "gouji/check.hpp"
#include "gouji/report_model.hpp"
#include "gouji/text.hpp"

namespace gouji {

std::vector<std::string> standard_rule_pack_files() {
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    std::error_code ec;
    for (fs::directory_iterator it(default_rulepack_dir(), ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        if (p.extension() == ".yaml" && p.filename() != "templates.yaml") files.push_back(p.string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

FindingsSummary& FindingsSummary::operator+=(const FindingsSummary& other) {
    errors += other.errors;
    warnings += other.warnings;
    infos += other.infos;
    not_assessable += other.not_assessable;
    return *this;
}

void BatchTally::add(const ReportFindings& report) {
    if (!report.passed_over.empty()) {
        ++passed_over;
        return;
    }
    if (report.previous_year) {
        ++(report.folder ? unreadable_previous_folders : unreadable_previous);
        return;
    }
    if (report.folder) {
        ++unreadable_folders;
        return;
    }
    ++reports;
    if (report.error) {
        ++unreadable;
        unreadable_files.push_back(report.file);
    }
    if (!report.rule_errors.empty()) ++rule_errors;
    for (const auto& e : report.rule_errors)
        unfinished_rules.insert(e.file() + ':' + std::to_string(e.pos().line) + ':' + std::to_string(e.pos().column));
    findings += summarize(report.findings);
    findings_not_shown += report.findings_not_shown;
}

void keep_findings_from(ReportFindings& report, Severity least) {
    const auto below = [least](const Finding& f) { return f.severity < least; };
    const auto kept_end = std::remove_if(report.findings.begin(), report.findings.end(), below);
    report.findings_not_shown += static_cast<std::size_t>(report.findings.end() - kept_end);
    report.findings.erase(kept_end, report.findings.end());
}

BatchTally& BatchTally::operator+=(const BatchTally& other) {
    reports += other.reports;
    unreadable += other.unreadable;
    unreadable_files.insert(unreadable_files.end(), other.unreadable_files.begin(), other.unreadable_files.end());
    unreadable_folders += other.unreadable_folders;
    unreadable_previous += other.unreadable_previous;
    unreadable_previous_folders += other.unreadable_previous_folders;
    rule_errors += other.rule_errors;
    passed_over += other.passed_over;
    unfinished_rules.insert(other.unfinished_rules.begin(), other.unfinished_rules.end());
    findings += other.findings;
    findings_not_shown += other.findings_not_shown;
    return *this;
}

FindingsSummary summarize(const std::vector<Finding>& findings) {
    FindingsSummary s;
    for (const auto& f : findings) {
        if (!f.assessable) ++s.not_assessable;
        else if (f.severity == Severity::Error) ++s.errors;
        else if (f.severity == Severity::Warning) ++s.warnings;
        else ++s.infos;
    }
    return s;
}

ReportHistory::ReportHistory(const TemplateCatalog& catalog) {
    for (const auto& s : catalog.agency_suffixes)
        if (std::string n = normalize_label(s); !n.empty()) suffixes_.push_back(std::move(n));
}

std::string ReportHistory::key(const std::string& agency, int year) const {
    std::string name = normalize_label(agency);
    for (const auto& s : suffixes_)
        if (name.size() > s.size() && name.ends_with(s)) {
            name.resize(name.size() - s.size());
            break;
        }
    return name + '\n' + std::to_string(year);
}

std::vector<ReportHistory::Kept> ReportHistory::kept() const {
    std::vector<Kept> out;
    for (const auto& [k, model] : reports_)
        out.push_back({model.document.path, model.metadata.year, model.metadata.agency});
    return out;
}

std::vector<std::string> ReportHistory::files_for(const ReportModel& model) const {
    if (!pairable(model)) return {};
    const std::string k = key(model.metadata.agency, model.metadata.year);
    if (auto kept = reports_.find(k); kept != reports_.end()) return {kept->second.document.path};
    if (auto clash = ambiguous_.find(k); clash != ambiguous_.end()) return clash->second;
    return {};
}

std::optional<std::string> ReportHistory::add(ReportModel model) {
    if (!pairable(model)) return std::nullopt;  // nobody's previous report
    std::string k = key(model.metadata.agency, model.metadata.year);
    if (auto clash = ambiguous_.find(k); clash != ambiguous_.end()) {
        clash->second.push_back(model.document.path);
        return clash->second.front();
    }
    if (auto kept = reports_.find(k); kept != reports_.end()) {
        std::string other = kept->second.document.path;
        ambiguous_.emplace(k, std::vector<std::string>{other, model.document.path});
        reports_.erase(kept);
        return other;
    }
    // Hundreds of last year's reports are held at once: previous() reads their
    // tables, and params of their sections and metadata (previous(other_form)).
    model.document.blocks.clear();
    model.document.blocks.shrink_to_fit();
    model.document.drop_text();
    model.figures.clear();
    model.figures.shrink_to_fit();
    model.lists.clear();
    model.lists.shrink_to_fit();
    model.prose_dropped = true;
    reports_.emplace(std::move(k), std::move(model));
    return std::nullopt;
}

const ReportModel* ReportHistory::previous_of(const ReportModel& model) const {
    if (!pairable(model)) return nullptr;
    auto it = reports_.find(key(model.metadata.agency, model.metadata.year - 1));
    return it == reports_.end() ? nullptr : &it->second;
}

namespace {

// The lines of `text` (a line-based report's, as read) that findings point at: kept
// with the findings, so that the listing never opens the report a second time.
std::map<std::uint32_t, std::string> quoted_lines(const std::vector<Finding>& findings, std::string text) {
    std::map<std::uint32_t, std::string> lines;
    if (text.empty()) return lines;
    std::optional<SourceText> source;
    for (const auto& f : findings) {
        const std::uint32_t n = f.location.pos.line;
        if (n == 0 || lines.count(n)) continue;
        if (!source) source.emplace(std::string(), std::move(text));
        if (n <= source->line_count()) lines.emplace(n, source->line(n));
    }
    return lines;
}

// Whether the model found nothing of a report in the document: no section
// heading and no table of any template's. Every report of the corpus and the
// fixtures has one or the other (a report missing three parts still has the
// other three); a README or a notice beside the reports has none.
bool nothing_of_a_report(const ReportModel& model) {
    auto has_template_section = [](const auto& self, const std::vector<Section>& sections) -> bool {
        for (const auto& s : sections)
            if (!s.canonical.empty() || self(self, s.children)) return true;
        return false;
    };
    if (has_template_section(has_template_section, model.sections)) return false;
    return std::none_of(model.tables.begin(), model.tables.end(), [](const BoundTable& t) { return t.found; });
}

}  // namespace

ReportFindings check_document(Document document, const RuleSet& rules, const TemplateCatalog& catalog,
                              const ReportHistory* history, bool found_by_search) {
    ReportFindings report;
    report.file = document.path;
    report.format = document.format;
    report.encoding = document.encoding;
    report.reader_warnings = document.warnings;
    // Findings never show the shape judgement; the year's template is enough.
    ReportModel model = build_model(std::move(document), catalog, ModelOptions{.judge_every_template = false});
    // A document its reader found damaged (a PDF poppler read past errors in) may
    // have lost its headings and tables to the damage: audited, with its warning.
    if (found_by_search && report.reader_warnings.empty() && nothing_of_a_report(model)) {
        report.passed_over = "no section heading or table of an annual report's template";
        return report;
    }
    report.template_id = model.metadata.detected.template_id;
    report.year = model.metadata.year;
    report.agency = model.metadata.agency;
    const ReportModel* previous = history ? history->previous_of(model) : nullptr;
    if (previous) report.previous = previous->document.path;
    Evaluation evaluation = evaluate_each_rule(rules, model, &report.stats, previous);
    report.findings = std::move(evaluation.findings);
    report.rule_errors = std::move(evaluation.rule_errors);
    report.source_lines = quoted_lines(report.findings, std::move(model.document.text));
    return report;
}

ReportFindings unreadable_report(std::string file, const InputError& error) {
    ReportFindings report;
    report.file = std::move(file);
    report.error = error;
    return report;
}

}  // namespace gouji
