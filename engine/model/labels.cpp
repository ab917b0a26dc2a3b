#include "engine/model/labels.hpp"

#include <algorithm>

#include "gouji/text.hpp"

namespace gouji {

namespace {
constexpr std::size_t kMaxLabelChars = 60;

// True when `s` has at least n characters; stops counting there (hot path).
bool has_chars(std::string_view s, std::size_t n) {
    std::size_t count = 0;
    for (unsigned char b : s)
        if ((b & 0xC0) != 0x80 && ++count >= n) return true;
    return n == 0;
}
}  // namespace

int label_score(const std::string& doc_label, const NamedLabel& label) {
    if (doc_label.empty()) return 0;
    if (has_chars(doc_label, kMaxLabelChars + 1)) return 0;
    const bool doc_4 = has_chars(doc_label, 4), doc_5 = has_chars(doc_label, 5);
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
        if (doc_label == alias) return 4;
        if ((doc_label.rfind(alias, 0) == 0 && has_chars(alias, 2)) || (doc_4 && alias.rfind(doc_label, 0) == 0))
            best = std::max(best, 3);
        else if (best < 2 && ((doc_label.find(alias) != std::string::npos && has_chars(alias, 3)) ||
                              (doc_5 && alias.find(doc_label) != std::string::npos)))
            best = 2;
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
