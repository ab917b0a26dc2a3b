// One report through the audit: model, evaluate, count.
#include <algorithm>
#include <filesystem>

#include "gouji/check.hpp"
#include "gouji/report_model.hpp"

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
    ++reports;
    if (report.error) ++unreadable;
    rule_errors = rule_errors || !report.rule_errors.empty();
    findings += summarize(report.findings);
}

BatchTally& BatchTally::operator+=(const BatchTally& other) {
    reports += other.reports;
    unreadable += other.unreadable;
    rule_errors = rule_errors || other.rule_errors;
    findings += other.findings;
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

ReportFindings check_document(Document document, const RuleSet& rules, const TemplateCatalog& catalog) {
    ReportFindings report;
    report.file = document.path;
    report.format = document.format;
    // Findings never show the shape judgement; the year's template is enough.
    ReportModel model = build_model(std::move(document), catalog, ModelOptions{.judge_every_template = false});
    report.template_id = model.metadata.detected.template_id;
    Evaluation evaluation = evaluate_each_rule(rules, model);
    report.findings = std::move(evaluation.findings);
    report.rule_errors = std::move(evaluation.rule_errors);
    return report;
}

ReportFindings unreadable_report(std::string file, const InputError& error) {
    ReportFindings report;
    report.file = std::move(file);
    report.error = error;
    return report;
}

}  // namespace gouji
