#include "engine/model/labels.hpp"

#include <algorithm>

#include "gouji/text.hpp"

namespace gouji {

namespace {
constexpr std::size_t kMaxLabelChars = 60;
}

int label_score(const std::string& doc_label, const NamedLabel& label) {
    if (doc_label.empty()) return 0;
    const std::size_t doc_chars = char_count(doc_label);
    if (doc_chars > kMaxLabelChars) return 0;
    // Schemas built in code (tests) may not carry the precomputed forms.
    std::vector<std::string> computed;
    const std::vector<std::string>* forms = &label.normalized;
    if (forms->empty()) {
        for (const std::string* f : {&label.id, &label.label})
            if (!f->empty()) computed.push_back(normalize_label(*f));
        for (const auto& a : label.aliases) computed.push_back(normalize_label(a));
        forms = &computed;
    }
    int best = 0;
    for (const std::string& alias : *forms) {
        if (alias.empty()) continue;
        std::size_t alias_chars = char_count(alias);
        if (doc_label == alias) return 4;
        if ((alias_chars >= 2 && doc_label.rfind(alias, 0) == 0) || (doc_chars >= 4 && alias.rfind(doc_label, 0) == 0))
            best = std::max(best, 3);
        else if ((alias_chars >= 3 && doc_label.find(alias) != std::string::npos) ||
                 (doc_chars >= 5 && alias.find(doc_label) != std::string::npos))
            best = std::max(best, 2);
    }
    return best;
}

bool is_table_label(const std::string& doc_label, const TemplateSchema& schema) {
    for (const auto& table : schema.tables) {
        for (const auto& r : table.rows)
            if (label_score(doc_label, r) >= 3) return true;
        for (const auto& g : table.groups)
            if (label_score(doc_label, g) >= 3) return true;
    }
    return false;
}

}  // namespace gouji
