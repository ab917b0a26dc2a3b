// Names of severities, rule kinds and findings as rule packs, the JSON output
// and the terminal write them (docs/findings.md).
#include "gouji/finding.hpp"

namespace gouji {

std::string_view to_string(Severity s) {
    switch (s) {
        case Severity::Info: return "info";
        case Severity::Warning: return "warning";
        case Severity::Error: return "error";
    }
    return "error";
}

std::optional<Severity> parse_severity(std::string_view s) {
    for (Severity v : {Severity::Error, Severity::Warning, Severity::Info})
        if (s == to_string(v)) return v;
    return std::nullopt;
}

std::string_view to_string(RuleKind k) {
    switch (k) {
        case RuleKind::Sum: return "sum";
        case RuleKind::Percentage: return "percentage";
        case RuleKind::Required: return "required";
        case RuleKind::Consistency: return "consistency";
        case RuleKind::Format: return "format";
    }
    return "consistency";
}

std::string finding_label(const Finding& finding) {
    return finding.binding.empty() ? finding.rule : finding.rule + "[" + finding.binding + "]";
}

}  // namespace gouji
